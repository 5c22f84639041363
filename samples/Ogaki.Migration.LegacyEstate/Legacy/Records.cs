namespace Ogaki.Migration.LegacyEstate.Legacy;

/// <summary>ZEIMAST 所得 entry (ZM-SHOTOKU-TBL).</summary>
public sealed record ZeimastIncome(string Code, decimal Shunyu, decimal Keihi, decimal Shotoku);

/// <summary>ZEIMAST 所得控除 entry (ZM-KOJO-TBL).</summary>
public sealed record ZeimastDeduction(string Code, decimal Amount);

/// <summary>ZEIMAST detail record (D): one 宛名番号 × 課税年度, legacy values (vendor codes, EYYMMDD dates, yen amounts).</summary>
public sealed record ZeimastDetail
{
    public required string AtenaNo { get; set; }
    public int KazeiNendo { get; set; }
    public string KojinNo { get; set; } = "";
    public string Shimei { get; set; } = "";
    public string ShimeiKana { get; set; } = "";
    public string Seinengappi { get; set; } = "0000000";
    public string FukaJusho { get; set; } = "";
    public char KazeiKbn { get; set; }
    public char MishinkokuKbn { get; set; } = ' ';
    public char TadantaiKbn { get; set; } = ' ';
    public List<ZeimastIncome> Incomes { get; } = [];
    public decimal SoShotoku { get; set; }
    public decimal KojoGokei { get; set; }
    public decimal KazeiShotoku { get; set; }
    public List<ZeimastDeduction> Deductions { get; } = [];
    public decimal ShiShotokuwari { get; set; }
    public decimal ShiKintowari { get; set; }
    public decimal KenShotokuwari { get; set; }
    public decimal KenKintowari { get; set; }
    public decimal ShinrinZei { get; set; }
    public decimal ZeigakuKojo { get; set; }
    public decimal NenZeigaku { get; set; }
    public string ChoshuKbn { get; set; } = "0";
    public decimal FuchoGaku { get; set; }
    public DateOnly?[] Nokigen { get; } = new DateOnly?[4];
    public decimal[] KibetsuGaku { get; } = new decimal[4];
    public decimal KyutokuGaku { get; set; }
    public string GimushaNo { get; set; } = "";
    public string GimushaMei { get; set; } = "";
    public decimal[] Getsuwari { get; } = new decimal[12];
    public decimal NentokuGaku { get; set; }
    public string NenkinHokensha { get; set; } = "";
    public decimal[] KariChoshu { get; } = new decimal[3];
    public decimal[] HonChoshu { get; } = new decimal[3];
    public int KoseiKaisu { get; set; }
    public string KoseiYmd { get; set; } = "0000000";
    public long KoseiSagaku { get; set; }
    public string KoshinYmd { get; set; } = "";
}

/// <summary>IDO_RIREKI.csv row (legacy text values).</summary>
public sealed record IdoRirekiRow
{
    public required string AtenaNo { get; set; }
    public int RirekiNo { get; set; }
    public int Edaban { get; set; }
    public string Jiyu { get; set; } = "";
    public string IdoYmd { get; set; } = "";
    public string TodokedeYmd { get; set; } = "";
    public string SetaiNo { get; set; } = "";
    public string Shimei { get; set; } = "";
    public string ShimeiKana { get; set; } = "";
    public string MachiazaId { get; set; } = "";
    public string Jotai { get; set; } = "";
    public string Saishin { get; set; } = "";
    public string OperatorId { get; set; } = "";
    public string OperatedAt { get; set; } = "";
}

/// <summary>JUKYUSHA row.</summary>
public sealed record JukyushaRow
{
    public required string JkyNo { get; set; }
    public required string AtenaNo { get; set; }
    public string Shimei { get; set; } = "";
    public string Kana { get; set; } = "";
    public string Kbn { get; set; } = "I";
    public string SeikyuYmd { get; set; } = "";
    public string? NinteiYmd { get; set; }
    public string ShikyuKaishiYm { get; set; } = "";
    public string? ShikyuShuryoYm { get; set; }
    public string? ShometsuCd { get; set; }
    public string? HaigushaAtenaNo { get; set; }
    public int GenkyoFlg { get; set; }
    public int SashitomeFlg { get; set; }
    public string KinyuCd { get; set; } = "";
    public string ShitenCd { get; set; } = "";
    public string YokinShu { get; set; } = "F";
    public string KozaNo { get; set; } = "";
    public string KozaKana { get; set; } = "";
    public long Getsugaku { get; set; }
    public string KoshinDt { get; set; } = "";
}

/// <summary>TAISHO_JIDO row: one child and period of constant 支給区分 / 月額.</summary>
public sealed record TaishoJidoRow
{
    public required string JkyNo { get; set; }
    public required string JidoAtenaNo { get; set; }
    public string JidoShimei { get; set; } = "";
    public string Seinengappi { get; set; } = "";
    public string ZokugaraCd { get; set; } = "KO";
    public string DobekkyoKbn { get; set; } = "D";
    public string JidoKbn { get; set; } = "T";
    public int ShusshoJuni { get; set; }
    public string? ShikyuKbn { get; set; }
    public long Getsugaku { get; set; }
    public string TekiyoKaishiYm { get; set; } = "";
    public string? TekiyoShuryoYm { get; set; }
}

/// <summary>SHIHARAI row.</summary>
public sealed record ShiharaiRow(string JkyNo, string ShiharaiYm, string TaishoFromYm, string TaishoToYm, long ShiharaiGaku, string ShiharaiKbn);
