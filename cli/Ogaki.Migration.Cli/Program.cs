return await Ogaki.Migration.Cli.CliApp.RunAsync(args);
