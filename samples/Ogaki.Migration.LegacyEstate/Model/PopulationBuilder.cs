using Ogaki.Migration.Spec;

namespace Ogaki.Migration.LegacyEstate.Model;

/// <summary>Issues 10-digit 宛名番号/世帯番号: 9-digit serial + modulus-11 check digit; serials with r = 1 are skipped.</summary>
internal sealed class NumberAllocator(long firstSerial)
{
    long _next = firstSerial;

    public string Next()
    {
        while (true)
        {
            var serial = LegacyText.Int(_next++, 9);
            var cd = CheckDigits.AtenaNumber(serial, AtenaRemainderOnePolicy.SkipSerial);
            if (cd is { } d) return serial + (char)('0' + d);
        }
    }
}

/// <summary>Builds households and persons. All randomness comes from one <see cref="Random"/> so output depends only on (seed, scale).</summary>
internal sealed class PopulationBuilder
{
    public static readonly DateOnly AsOf = new(2025, 12, 31);
    static readonly DateOnly MyNumberStart = new(2015, 10, 5);
    static readonly DateOnly KyuujiStart = new(2019, 11, 5);
    static readonly DateOnly Earliest = new(1970, 1, 1);

    readonly Random _r;
    readonly NumberAllocator _atena = new(100_001);
    readonly NumberAllocator _setai = new(500_000_001);
    readonly long _myNumberOffset;
    readonly long _juminhyoOffset;
    readonly int[] _surnameCumulative;
    long _personIndex;

    public PopulationBuilder(Random random)
    {
        _r = random;
        _myNumberOffset = (long)(_r.NextDouble() * 1e11);
        _juminhyoOffset = (long)(_r.NextDouble() * 1e10);
        _surnameCumulative = new int[NameLists.Surnames.Length];
        var sum = 0;
        for (var i = 0; i < NameLists.Surnames.Length; i++) _surnameCumulative[i] = sum += NameLists.Surnames[i].Weight;
    }

    Random R => _r;

    DateOnly RandomDate(DateOnly from, DateOnly to)
    {
        if (to <= from) return from;
        return from.AddDays(R.Next(to.DayNumber - from.DayNumber + 1));
    }

    DateOnly BirthForAge(int age) => AsOf.AddYears(-age).AddDays(-R.Next(365));

    static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
    static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    (string Name, string Kana, string? Gaiji) PickSurname()
    {
        var x = R.Next(_surnameCumulative[^1]);
        var i = Array.BinarySearch(_surnameCumulative, x + 1);
        if (i < 0) i = ~i;
        var s = NameLists.Surnames[i];
        return (s.Name, s.Kana, s.Gaiji);
    }

    // Unique My Numbers: an affine bijection on 11-digit space, then the statutory check digit.
    string NextMyNumber()
    {
        var base11 = (_personIndex * 7_919_357_821L + _myNumberOffset) % 100_000_000_000L;
        var s = LegacyText.Int(base11, 11);
        return s + (char)('0' + CheckDigits.MyNumber(s));
    }

    string NextJuminhyoCode()
    {
        var base10 = (_personIndex * 3_571_428_571L + _juminhyoOffset) % 10_000_000_000L;
        var s = LegacyText.Int(base10, 10);
        // The 個人番号 scheme on 10 digits (DOMAIN §7: weights unconfirmed).
        var sum = 0;
        for (var i = 0; i < 10; i++)
        {
            var n = 10 - i;
            var w = n <= 6 ? n + 1 : n - 5;
            sum += (s[i] - '0') * w;
        }
        var r = sum % 11;
        return s + (char)('0' + (r <= 1 ? 0 : 11 - r));
    }

    sealed record Family(bool Foreign, string Country, string Surname, string SurnameKana, string? SurnameGaiji);

    Family PickFamily()
    {
        if (R.NextDouble() < 0.028)
        {
            var f = NameLists.Foreign[R.Next(NameLists.Foreign.Length)];
            return new Family(true, f.Country, f.Family, f.FamilyKana, null);
        }
        var s = PickSurname();
        return new Family(false, "", s.Name, s.Kana, s.Gaiji is not null && R.NextDouble() < 0.15 ? s.Gaiji : null);
    }

    Person NewPerson(Family fam, char sex, DateOnly birth, string zokugara, string hyoki)
    {
        string given, givenKana, roma = "";
        if (fam.Foreign)
        {
            var candidates = NameLists.Foreign.Where(f => f.Country == fam.Country).ToArray();
            var g = candidates[R.Next(candidates.Length)];
            given = g.Given;
            givenKana = g.GivenKana;
            roma = fam.Surname + " " + g.Given;
        }
        else
        {
            var list = sex == 'M' ? NameLists.MaleGiven : NameLists.FemaleGiven;
            var g = list[R.Next(list.Length)];
            given = g.Gaiji is not null && R.NextDouble() < 0.15 ? g.Gaiji : g.Name;
            givenKana = g.Kana;
        }
        _personIndex++;
        return new Person
        {
            AtenaNo = _atena.Next(),
            Foreign = fam.Foreign,
            Country = fam.Country,
            Surname = fam.SurnameGaiji ?? fam.Surname,
            SurnameKana = fam.SurnameKana,
            Given = given,
            GivenKana = givenKana,
            Roma = roma,
            Sex = sex,
            Birth = birth,
            Zokugara = zokugara,
            ZokugaraHyoki = hyoki,
            MyNumber = NextMyNumber(),
            JuminhyoCd = NextJuminhyoCode(),
        };
    }

    string OtherCityAddress(out string lgCode)
    {
        var c = NameLists.OtherCities[R.Next(NameLists.OtherCities.Length)];
        lgCode = c.LgBase5 + (char)('0' + CheckDigits.LocalGovernmentCode(c.LgBase5));
        return c.Text + "本町" + LegacyText.FullWidthDigits(R.Next(1, 9)) + "丁目" + LegacyText.FullWidthDigits(R.Next(1, 40)) + "番地";
    }

    static string CountryName(string code) => code switch
    {
        "076" => "ブラジル", "608" => "フィリピン", "704" => "ベトナム", "156" => "中国", "410" => "韓国", "360" => "インドネシア", "524" => "ネパール",
        _ => "国外",
    };

    /// <summary>Builds one current household of <paramref name="size"/> members in <paramref name="town"/>, with former members (除票).</summary>
    public Household BuildHousehold(int size, Town town, double formerRate)
    {
        var fam = PickFamily();
        var banchi = LegacyText.FullWidthDigits(R.Next(1, 2500)) + "番地" + (R.NextDouble() < 0.6 ? "の" + LegacyText.FullWidthDigits(R.Next(1, 30)) : "");
        var katagaki = R.NextDouble() < 0.22
            ? NameLists.Apartments[R.Next(NameLists.Apartments.Length)] + LegacyText.FullWidthDigits(R.Next(1, 5) * 100 + R.Next(1, 12)) + "号室"
            : "";
        var hh = new Household { SetaiNo = _setai.Next(), Town = town, Banchi = banchi, Katagaki = katagaki };
        var members = hh.Members;
        var roll = R.NextDouble();

        if (size == 1)
        {
            var a = R.NextDouble();
            var age = a < 0.26 ? R.Next(19, 40) : a < 0.40 ? R.Next(40, 65) : R.Next(65, 99);
            var sex = age >= 65 ? (R.NextDouble() < 0.65 ? 'F' : 'M') : (R.NextDouble() < 0.6 ? 'M' : 'F');
            members.Add(NewPerson(fam, sex, BirthForAge(age), "01", "世帯主"));
        }
        else if (size == 2 && roll < 0.62)
        {
            AddCouple(fam, members, R.NextDouble() < 0.72 ? R.Next(65, 93) : R.Next(24, 65));
        }
        else if (size == 2 && roll < 0.80)
        {
            AddSingleParentFamily(fam, members, size);
        }
        else if (size == 2 && roll < 0.96)
        {
            var age = R.Next(66, 95);
            members.Add(NewPerson(fam, R.NextDouble() < 0.7 ? 'F' : 'M', BirthForAge(age), "01", "世帯主"));
            var childAge = Math.Max(25, age - R.Next(25, 36));
            members.Add(NewPerson(fam, R.NextDouble() < 0.5 ? 'M' : 'F', BirthForAge(childAge), "10", "子"));
        }
        else if (size == 2)
        {
            members.Add(NewPerson(fam, 'M', BirthForAge(R.Next(25, 70)), "01", "世帯主"));
            var other = PickFamily() with { Foreign = fam.Foreign, Country = fam.Country };
            var lodger = NewPerson(fam.Foreign ? fam : other, R.NextDouble() < 0.5 ? 'M' : 'F', BirthForAge(R.Next(20, 70)), R.NextDouble() < 0.5 ? "90" : "80", "");
            lodger.ZokugaraHyoki = lodger.Zokugara == "90" ? "同居人" : "縁故者";
            members.Add(lodger);
        }
        else if (roll < 0.10)
        {
            AddSingleParentFamily(fam, members, size);
        }
        else if (roll < 0.74 || size == 3)
        {
            if (size == 3 && roll >= 0.62)
            {
                // Elderly couple with an adult child.
                var age = R.Next(60, 88);
                AddCouple(fam, members, age);
                members.Add(NewPerson(fam, R.NextDouble() < 0.55 ? 'M' : 'F', BirthForAge(Math.Max(22, age - R.Next(26, 36))), "10", "子"));
            }
            else
            {
                var age = R.Next(35, 63);
                AddCouple(fam, members, age);
                AddChildren(fam, members, members[1].Sex == 'F' ? members[1] : members[0], size - 2, "10", "子");
            }
        }
        else if (roll < 0.90)
        {
            // Three generations: head, spouse, children, and one or two parents of the head or of the spouse.
            var age = R.Next(33, 58);
            AddCouple(fam, members, age);
            var parents = size >= 5 && R.NextDouble() < 0.5 ? 2 : 1;
            AddChildren(fam, members, members[1].Sex == 'F' ? members[1] : members[0], size - 2 - parents, "10", "子");
            var wifeSide = R.NextDouble() < 0.25;
            var pAge = Math.Min(100, age + R.Next(25, 36));
            if (parents == 2)
            {
                var father = NewPerson(fam, 'M', BirthForAge(pAge), wifeSide ? "22" : "20", wifeSide ? "妻の父" : "父");
                members.Add(father);
            }
            var mother = NewPerson(fam, 'F', BirthForAge(Math.Min(100, pAge - R.Next(0, 4))), wifeSide ? "23" : "21", wifeSide ? "妻の母" : "母");
            members.Add(mother);
            if (wifeSide)
            {
                var other = PickSurname();
                foreach (var p in members.Skip(members.Count - parents)) p.Surname = other.Name;
            }
        }
        else
        {
            // Elderly head with a married child and grandchildren (孫).
            var age = R.Next(58, 85);
            AddCouple(fam, members, age);
            var child = NewPerson(fam, 'M', BirthForAge(Math.Max(26, age - R.Next(25, 33))), "10", "子");
            members.Add(child);
            var inLaw = NewPerson(fam, 'F', child.Birth.AddDays(R.Next(-1500, 1500)), "12", "子の妻");
            if (inLaw.Birth > AsOf.AddYears(-20)) inLaw.Birth = AsOf.AddYears(-22);
            members.Add(inLaw);
            AddChildren(fam, members, inLaw, size - 4, "13", "孫");
        }

        for (var i = 0; i < members.Count; i++)
        {
            members[i].Juni = i + 1;
            members[i].SetaiNo = hh.SetaiNo;
        }
        SettleDates(hh);
        AddFormerMembers(hh, fam, formerRate);
        foreach (var p in members.Concat(hh.Former))
        {
            p.LgCode = "212024";
            p.MachiazaId = town.MachiazaId;
            p.Machiaza = town.Name;
            p.Banchi = banchi;
            p.Katagaki = katagaki;
            p.Zip = town.Zip.Length == 7 ? town.Zip : "0000000";
            AssignEconomics(p, hh);
            BuildHistory(p, town);
        }
        return hh;
    }

    void AddCouple(Family fam, List<Person> members, int headAge)
    {
        var husband = NewPerson(fam, 'M', BirthForAge(headAge), "01", "世帯主");
        var wifeAge = Math.Clamp(headAge - (int)Math.Round(NextGaussian() * 3 + 2), 19, 100);
        var wife = NewPerson(fam, 'F', BirthForAge(wifeAge), "03", "妻");
        if (R.NextDouble() < 0.015)
        {
            wife.Zokugara = "05";
            wife.ZokugaraHyoki = "妻（未届）";
            if (!fam.Foreign) wife.Surname = PickSurname().Name;
        }
        else if (!fam.Foreign && R.NextDouble() < 0.05 && wifeAge < 75)
        {
            wife.Kyuuji = PickSurname().Name;
        }
        if (R.NextDouble() < 0.06)
        {
            // The wife is the 世帯主.
            wife.Zokugara = "01";
            wife.ZokugaraHyoki = "世帯主";
            husband.Zokugara = "02";
            husband.ZokugaraHyoki = "夫";
            members.Add(wife);
            members.Add(husband);
        }
        else
        {
            members.Add(husband);
            members.Add(wife);
        }
    }

    void AddSingleParentFamily(Family fam, List<Person> members, int size)
    {
        var female = R.NextDouble() < 0.85;
        var age = R.Next(30, 58);
        var parent = NewPerson(fam, female ? 'F' : 'M', BirthForAge(age), "01", "世帯主");
        members.Add(parent);
        AddChildren(fam, members, parent, size - 1, "10", "子");
    }

    void AddChildren(Family fam, List<Person> members, Person mother, int count, string zokugara, string hyoki)
    {
        var motherAge = mother.AgeAt(AsOf);
        var age = motherAge - R.Next(26, 35);
        // Leave room for the younger siblings so nobody is "born in the future".
        age = Math.Min(Math.Max(age, (count - 1) * 2 + R.Next(0, 3)), Math.Max(0, motherAge - 18));
        for (var i = 0; i < count; i++)
        {
            if (age < 0) age = 0;
            var child = NewPerson(fam, R.NextDouble() < 0.51 ? 'M' : 'F', BirthForAge(age), zokugara, hyoki);
            if (child.Birth < mother.Birth.AddYears(16)) child.Birth = mother.Birth.AddYears(16 + R.Next(0, 3));
            if (child.Birth > AsOf.AddDays(-10)) child.Birth = AsOf.AddDays(-10 - R.Next(300));
            members.Add(child);
            age -= R.Next(2, 5);
        }
    }

    double NextGaussian()
    {
        var u1 = 1.0 - R.NextDouble();
        var u2 = R.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    void SettleDates(Household hh)
    {
        var head = hh.Head;
        // Young heads (19) moved in recently; nobody arrives in the future.
        var adultFrom = Max(Min(head.Birth.AddYears(19), AsOf.AddDays(-60)), Earliest);
        var formed = RandomDate(adultFrom, Max(adultFrom, AsOf.AddDays(-40)));
        // Children already born when the family arrived move in with it; later ones are born here.
        hh.KoseiYmd = formed;
        foreach (var p in hh.Members)
        {
            if (p.Birth > formed)
            {
                p.BornHere = !p.Zokugara.StartsWith('2') && p.Zokugara is "10" or "13";
                p.JuminYmd = p.BornHere ? p.Birth : RandomDate(Max(formed, p.Birth.AddYears(18)), AsOf.AddDays(-20));
            }
            else if (p.Zokugara is "20" or "21" or "22" or "23" or "12" or "80" or "90")
            {
                p.JuminYmd = RandomDate(Max(formed, p.Birth.AddYears(18)), AsOf.AddDays(-20));
            }
            else
            {
                p.JuminYmd = formed;
            }
            if (p.JuminYmd > AsOf.AddDays(-20)) p.JuminYmd = AsOf.AddDays(-20 - R.Next(20));
            if (p.JuminYmd < p.Birth) p.JuminYmd = p.Birth;
            p.JushoTeiYmd = p.JuminYmd;
            p.JushoTeiTodokede = p.BornHere ? p.Birth.AddDays(R.Next(0, 14)) : p.JuminYmd.AddDays(R.Next(0, 14));
            if (p.JushoTeiTodokede > AsOf) p.JushoTeiTodokede = AsOf;
            if (!p.BornHere)
            {
                p.TennyuMae = p.Foreign && R.NextDouble() < 0.5 ? CountryName(p.Country) : OtherCityAddress(out _);
            }
        }
    }

    void AddFormerMembers(Household hh, Family fam, double formerRate)
    {
        var n = 0;
        var x = formerRate;
        while (x > 0 && R.NextDouble() < Math.Min(1.0, x))
        {
            n++;
            x -= 1.0;
        }
        for (var i = 0; i < n; i++)
        {
            var head = hh.Head;
            var headAge = head.AgeAt(AsOf);
            Person p;
            if (headAge >= 45 && R.NextDouble() < 0.5)
            {
                var male = R.NextDouble() < 0.45;
                p = NewPerson(fam, male ? 'M' : 'F', head.Birth.AddYears(-R.Next(24, 36)).AddDays(-R.Next(365)), male ? "20" : "21", male ? "父" : "母");
                var died = RandomDate(Max(Max(hh.KoseiYmd, p.Birth.AddYears(62)), new DateOnly(2003, 1, 1)), AsOf.AddDays(-5));
                if (died > AsOf.AddDays(-5) || died <= hh.KoseiYmd) died = RandomDate(hh.KoseiYmd.AddDays(1), AsOf.AddDays(-5));
                p.Status = '4';
                p.ShojoJiyu = "210";
                p.ShojoIdo = died;
                p.ShojoTodokede = died.AddDays(R.Next(0, 7));
            }
            else
            {
                var childAge = Math.Max(19, Math.Min(headAge - 20, R.Next(19, 40)));
                p = NewPerson(fam, R.NextDouble() < 0.5 ? 'M' : 'F', BirthForAge(childAge), headAge >= 38 ? "10" : "32", headAge >= 38 ? "子" : "弟");
                var left = RandomDate(Max(hh.KoseiYmd.AddDays(30), Max(p.Birth.AddYears(18), new DateOnly(2008, 4, 1))), AsOf.AddDays(-5));
                var k = R.NextDouble();
                p.Status = k < 0.95 ? '3' : '9';
                p.ShojoJiyu = k < 0.90 ? "201" : k < 0.95 ? "202" : "220";
                p.ShojoIdo = left;
                p.ShojoTodokede = p.ShojoJiyu == "220" ? left.AddDays(R.Next(30, 120)) : left.AddDays(-R.Next(0, 14));
                if (p.ShojoTodokede > AsOf) p.ShojoTodokede = AsOf;
                p.Tenshutsu = p.ShojoJiyu switch { "201" => OtherCityAddress(out _), "202" => "アメリカ合衆国", _ => "" };
            }
            p.SetaiNo = hh.SetaiNo;
            p.Juni = 90 + i;
            var arrived = p.Birth > hh.KoseiYmd ? p.Birth : hh.KoseiYmd;
            p.BornHere = p.Birth > hh.KoseiYmd;
            p.JuminYmd = arrived;
            if (p.ShojoIdo <= arrived) p.ShojoIdo = arrived.AddDays(1 + R.Next(400));
            if (p.ShojoIdo > AsOf) p.ShojoIdo = AsOf;
            if (p.ShojoTodokede < arrived) p.ShojoTodokede = p.ShojoIdo;
            p.JushoTeiYmd = arrived;
            p.JushoTeiTodokede = arrived.AddDays(R.Next(0, 14));
            if (!p.BornHere) p.TennyuMae = OtherCityAddress(out _);
            if (p.ShojoIdo < MyNumberStart) p.MyNumber = "";
            hh.Former.Add(p);
        }
    }

    /// <summary>A 住登外者: known to the city (tax, property), living elsewhere; no household, no history.</summary>
    public Person BuildNonResident()
    {
        var fam = PickFamily();
        var sex = R.NextDouble() < 0.55 ? 'M' : 'F';
        var p = NewPerson(fam, sex, BirthForAge(R.Next(25, 90)), "", "");
        p.Status = '2';
        p.SetaiNo = "0000000000";
        p.Zokugara = "  ";
        p.ZokugaraHyoki = "";
        p.MyNumber = "";
        p.JuminhyoCd = "";
        var text = OtherCityAddress(out var lg);
        p.LgCode = lg;
        p.Machiaza = text;
        p.JuminYmd = RandomDate(Max(new DateOnly(1995, 1, 1), p.Birth.AddYears(18)), AsOf.AddDays(-30));
        p.JushoTeiYmd = p.JuminYmd;
        p.JushoTeiTodokede = p.JuminYmd;
        return p;
    }

    void AssignEconomics(Person p, Household hh)
    {
        var age = p.AgeAt(new DateOnly(2024, 12, 31));
        var main = p.IsHead || (p.Zokugara is "02" or "03" or "05" && R.NextDouble() < 0.6) || p.Zokugara is "10" or "12" or "32" or "80" or "90";
        p.LifeInsurance = R.NextDouble() < 0.5;
        if (age < 18) return;
        if (age < 65)
        {
            var k = R.NextDouble();
            var employedShare = p.Sex == 'M' ? 0.88 : 0.68;
            if (age < 22) employedShare = 0.35;
            if (k < 0.06 && age >= 25)
            {
                p.Business = (long)(Math.Clamp(NextGaussian() * 1_500_000 + 3_000_000, 300_000, 15_000_000) / 1000) * 1000;
            }
            else if (k < 0.07 && age >= 25)
            {
                p.Agriculture = R.Next(200, 3000) * 1000L;
            }
            else if (k < employedShare)
            {
                var mean = p.Sex == 'M' && main ? 5_000_000.0 : 2_400_000.0;
                var sd = p.Sex == 'M' && main ? 1_900_000.0 : 1_200_000.0;
                if (age < 22) { mean = 900_000; sd = 500_000; }
                p.Salary = (long)(Math.Clamp(NextGaussian() * sd + mean, 300_000, 18_000_000) / 1000) * 1000;
                p.Employer = R.Next(NameLists.Employers.Length);
                p.PublicServant = p.Employer == 4 || R.NextDouble() < 0.03;
                if (R.NextDouble() < 0.04) p.Business = R.Next(100, 1500) * 1000L;
            }
        }
        else
        {
            var basePension = p.Sex == 'M' ? 2_000_000.0 : 1_100_000.0;
            p.Pension = (long)(Math.Clamp(NextGaussian() * 600_000 + basePension, 600_000, 4_500_000) / 1000) * 1000;
            if (age < 75 && R.NextDouble() < 0.18)
            {
                p.Salary = R.Next(800, 3500) * 1000L;
                p.Employer = R.Next(NameLists.Employers.Length);
            }
        }
        if (age >= 50 && R.NextDouble() < 0.03) p.Rent = R.Next(500, 6000) * 1000L;
        if (age >= 40 && R.NextDouble() < 0.02) p.Dividend = R.Next(50, 2000) * 1000L;
    }

    void BuildHistory(Person p, Town town)
    {
        var events = new List<(string Jiyu, DateOnly Date, DateOnly? Todokede, string? Town, char Jotai)>();
        var firstTown = town.MachiazaId;
        DateOnly? moved = null;
        var alive = p.ShojoIdo ?? AsOf;
        if (R.NextDouble() < 0.45 && alive.DayNumber - p.JuminYmd.DayNumber > 90)
        {
            moved = RandomDate(p.JuminYmd.AddDays(30), alive.AddDays(-30));
            firstTown = Towns.All[R.Next(Towns.All.Count)].MachiazaId;
            p.JushoTeiYmd = moved.Value;
            p.JushoTeiTodokede = moved.Value.AddDays(R.Next(0, 14));
            if (p.JushoTeiTodokede > AsOf) p.JushoTeiTodokede = AsOf;
        }
        events.Add(p.BornHere
            ? ("110", p.Birth, p.Birth.AddDays(R.Next(0, 14)), firstTown, '1')
            : (p.Foreign && !p.TennyuMae.Contains('県', StringComparison.Ordinal) && !p.TennyuMae.Contains('都', StringComparison.Ordinal) && !p.TennyuMae.Contains('府', StringComparison.Ordinal) ? "102" : "101", p.JuminYmd, p.JuminYmd.AddDays(R.Next(0, 14)), firstTown, '1'));
        string TownOn(DateOnly d) => moved is { } mv && d < mv ? firstTown : town.MachiazaId;
        if (p.JuminYmd < MyNumberStart && alive > MyNumberStart && p.MyNumber.Length > 0)
            events.Add(("330", MyNumberStart, null, TownOn(MyNumberStart), '1'));
        if (moved is { } m) events.Add(("301", m, p.JushoTeiTodokede, town.MachiazaId, '1'));
        if (p.Kyuuji.Length > 0 && alive > KyuujiStart)
        {
            var kd = RandomDate(Max(KyuujiStart, p.JuminYmd), alive.AddDays(-1));
            events.Add(("340", kd, kd, TownOn(kd), '1'));
        }
        if (p.IsHead && R.NextDouble() < 0.08)
        {
            var hd = RandomDate(p.JuminYmd, alive.AddDays(-1));
            events.Add(("312", hd, hd.AddDays(R.Next(0, 10)), TownOn(hd), '1'));
        }
        if (R.NextDouble() < 0.12)
        {
            var fd = RandomDate(p.JuminYmd, alive.AddDays(-1));
            events.Add(("320", fd, null, TownOn(fd), '1'));
        }
        if (p.ShojoIdo is { } gone) events.Add((p.ShojoJiyu, gone, p.ShojoTodokede, null, p.Status));
        // Stable by date; the removal stays last.
        var ordered = events.Select((e, i) => (e, i)).OrderBy(x => x.e.Jotai != '1' ? 1 : 0).ThenBy(x => x.e.Date).ThenBy(x => x.i).Select(x => x.e).ToList();
        var no = 0;
        for (var i = 0; i < ordered.Count; i++)
        {
            var e = ordered[i];
            var todokede = e.Todokede is { } t && t > AsOf ? AsOf : e.Todokede;
            if (e.Todokede is { } t2 && t2 < e.Date && e.Jiyu is not ("201" or "202")) todokede = e.Date;
            p.History.Add(new HistoryEvent(++no, 0, e.Jiyu, e.Date, todokede, e.Jotai == '1' ? p.SetaiNo : "0000000000", e.Town, e.Jotai.ToString()));
            if (i == 0 && ordered.Count >= 2 && R.NextDouble() < 0.01)
            {
                // 誤記修正 of the first entry: a correction row on the same 履歴番号, never overwriting it.
                var fixDate = RandomDate(e.Date, ordered[1].Date);
                p.History.Add(new HistoryEvent(1, 1, "321", fixDate, fixDate, p.SetaiNo, e.Town, "1"));
            }
        }
    }
}
