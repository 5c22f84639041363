namespace Ogaki.Migration.LegacyEstate.Model;

/// <summary>One row of a person's change history (before legacy encoding).</summary>
internal sealed record HistoryEvent(int RirekiNo, int Edaban, string Jiyu, DateOnly Date, DateOnly? Todokede, string SetaiNo, string? MachiazaId, string Jotai);

/// <summary>A synthetic person (the generator's view; writers project it onto the legacy layouts).</summary>
internal sealed class Person
{
    public required string AtenaNo { get; init; }
    public string SetaiNo { get; set; } = "0000000000";
    public bool Foreign { get; init; }
    public string Country { get; init; } = "";
    /// <summary>Legacy 住民状態: 1 住民, 2 住登外, 3 転出者, 4 死亡者, 9 消除者.</summary>
    public char Status { get; set; } = '1';
    public required string Surname { get; set; }
    public required string SurnameKana { get; init; }
    public required string Given { get; set; }
    public required string GivenKana { get; init; }
    public string Roma { get; init; } = "";
    public string Kyuuji { get; set; } = "";
    public char Sex { get; init; }
    public DateOnly Birth { get; set; }
    /// <summary>Vendor 続柄 code (README) and its text.</summary>
    public string Zokugara { get; set; } = "01";
    public string ZokugaraHyoki { get; set; } = "世帯主";
    public int Juni { get; set; }
    public DateOnly JuminYmd { get; set; }
    public DateOnly JushoTeiYmd { get; set; }
    public DateOnly JushoTeiTodokede { get; set; }
    public bool BornHere { get; set; }
    public string TennyuMae { get; set; } = "";
    public string Tenshutsu { get; set; } = "";
    public string ShojoJiyu { get; set; } = "";
    public DateOnly? ShojoTodokede { get; set; }
    public DateOnly? ShojoIdo { get; set; }
    public string MyNumber { get; set; } = "";
    public string JuminhyoCd { get; set; } = "";
    public string LgCode { get; set; } = "212024";
    public string MachiazaId { get; set; } = "0000000";
    public string Machiaza { get; set; } = "";
    public string Banchi { get; set; } = "";
    public string Katagaki { get; set; } = "";
    public string Zip { get; set; } = "0000000";
    public List<HistoryEvent> History { get; } = [];

    // Economics (income year amounts, yen).
    public long Salary { get; set; }
    public long Pension { get; set; }
    public long Business { get; set; }
    public long Agriculture { get; set; }
    public long Rent { get; set; }
    public long Dividend { get; set; }
    public int Employer { get; set; } = -1;
    public bool PublicServant { get; set; }
    public bool LifeInsurance { get; set; }

    public string Shimei => Foreign ? Roma : Surname + "\u3000" + Given;
    public string KanaFull => SurnameKana + "\u3000" + GivenKana;
    public bool IsHead => Zokugara == "01";

    public int AgeAt(DateOnly d)
    {
        var age = d.Year - Birth.Year;
        if (d.Month < Birth.Month || (d.Month == Birth.Month && d.Day < Birth.Day)) age--;
        return age;
    }

    public bool LivesHereOn(DateOnly d) =>
        Status != '2' && JuminYmd <= d && (ShojoIdo is null || ShojoIdo.Value > d);
}

/// <summary>A current household.</summary>
internal sealed class Household
{
    public required string SetaiNo { get; init; }
    public required Town Town { get; init; }
    public required string Banchi { get; init; }
    public string Katagaki { get; init; } = "";
    public DateOnly KoseiYmd { get; set; }
    public List<Person> Members { get; } = [];
    public List<Person> Former { get; } = [];
    public Person Head => Members[0];
}
