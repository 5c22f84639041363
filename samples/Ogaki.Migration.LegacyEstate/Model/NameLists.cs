namespace Ogaki.Migration.LegacyEstate.Model;

/// <summary>Japanese surnames and given names with katakana readings (our own lists; weights are rough, Gifu-flavoured).</summary>
internal static class NameLists
{
    /// <summary>Surname, reading, weight, optional 外字 variant (surname written with a PUA character).</summary>
    internal static readonly (string Name, string Kana, int Weight, string? Gaiji)[] Surnames =
    [
        ("伊藤", "イトウ", 40, null), ("加藤", "カトウ", 38, null), ("山田", "ヤマダ", 30, null), ("林", "ハヤシ", 28, null),
        ("高橋", "タカハシ", 26, "\uE000橋"), ("佐藤", "サトウ", 24, null), ("鈴木", "スズキ", 24, null), ("田中", "タナカ", 22, null),
        ("渡辺", "ワタナベ", 20, null), ("渡邉", "ワタナベ", 6, "渡\uE003"), ("渡邊", "ワタナベ", 5, "渡\uE004"),
        ("山本", "ヤマモト", 20, null), ("中村", "ナカムラ", 18, null), ("小川", "オガワ", 16, null), ("後藤", "ゴトウ", 16, null),
        ("河合", "カワイ", 14, null), ("水野", "ミズノ", 14, null), ("吉田", "ヨシダ", 14, "\uE002田"), ("松岡", "マツオカ", 8, null),
        ("大橋", "オオハシ", 12, null), ("安藤", "アンドウ", 12, null), ("近藤", "コンドウ", 12, null), ("坂井", "サカイ", 10, null),
        ("山崎", "ヤマザキ", 12, "山\uE001"), ("宮崎", "ミヤザキ", 8, "宮\uE001"), ("岡崎", "オカザキ", 6, "岡\uE001"),
        ("高木", "タカギ", 9, "\uE000木"), ("高田", "タカダ", 8, "\uE000田"), ("吉川", "ヨシカワ", 7, "\uE002川"),
        ("木村", "キムラ", 10, null), ("小林", "コバヤシ", 10, null), ("長谷川", "ハセガワ", 10, null), ("清水", "シミズ", 10, null),
        ("森", "モリ", 10, null), ("杉山", "スギヤマ", 8, null), ("服部", "ハットリ", 10, null), ("堀", "ホリ", 8, null),
        ("早川", "ハヤカワ", 8, null), ("野村", "ノムラ", 8, null), ("村瀬", "ムラセ", 8, null), ("西脇", "ニシワキ", 6, null),
        ("日比野", "ヒビノ", 6, null), ("馬渕", "マブチ", 6, null), ("棚橋", "タナハシ", 6, null), ("所", "トコロ", 4, null),
        ("不破", "フワ", 4, null), ("広瀬", "ヒロセ", 8, null), ("青木", "アオキ", 8, null), ("石原", "イシハラ", 6, null),
        ("葛西", "カサイ", 3, "\uE005西"), ("葛谷", "クズヤ", 3, "\uE005谷"), ("辻", "ツジ", 6, "\uE006"), ("辻村", "ツジムラ", 3, "\uE006村"),
        ("大塚", "オオツカ", 5, "大\uE007"), ("飯塚", "イイヅカ", 3, "飯\uE007"), ("徳永", "トクナガ", 3, "\uE008永"),
        ("浜田", "ハマダ", 5, "\uE009田"), ("橋本", "ハシモト", 8, null),
        ("奥田", "オクダ", 6, null), ("丹羽", "ニワ", 6, null), ("三輪", "ミワ", 6, null), ("桑原", "クワバラ", 5, null),
        ("竹中", "タケナカ", 5, null), ("岩田", "イワタ", 6, null), ("福田", "フクダ", 6, null), ("太田", "オオタ", 6, null),
        ("中島", "ナカシマ", 6, null), ("松井", "マツイ", 6, null), ("藤井", "フジイ", 5, null), ("野田", "ノダ", 5, null),
        ("宇野", "ウノ", 5, null), ("熊崎", "クマザキ", 3, null), ("今井", "イマイ", 5, null), ("細野", "ホソノ", 3, null),
        ("片野", "カタノ", 3, null), ("國枝", "クニエダ", 2, null), ("髙井", "タカイ", 1, null), ("澤田", "サワダ", 3, null),
    ];

    internal static readonly (string Name, string Kana, string? Gaiji)[] MaleGiven =
    [
        ("大輔", "ダイスケ", null), ("健太", "ケンタ", null), ("翔太", "ショウタ", null), ("拓也", "タクヤ", null), ("蓮", "レン", null),
        ("悠真", "ユウマ", null), ("陽翔", "ハルト", null), ("湊", "ミナト", null), ("大和", "ヤマト", null), ("樹", "イツキ", null),
        ("隆", "タカシ", "\uE00B"), ("隆之", "タカユキ", "\uE00B之"), ("祐介", "ユウスケ", "\uE00C介"), ("浩", "ヒロシ", null),
        ("誠", "マコト", null), ("茂", "シゲル", null), ("清", "キヨシ", null), ("勇", "イサム", null), ("実", "ミノル", null),
        ("和夫", "カズオ", null), ("正雄", "マサオ", null), ("幸男", "ユキオ", null), ("博", "ヒロシ", null), ("進", "ススム", null),
        ("直樹", "ナオキ", null), ("哲也", "テツヤ", null), ("剛", "ツヨシ", null), ("修", "オサム", null), ("聡", "サトシ", null),
        ("健一", "ケンイチ", null), ("一郎", "イチロウ", null), ("達也", "タツヤ", null), ("亮", "リョウ", null), ("悠人", "ユウト", null),
        ("颯太", "ソウタ", null), ("陸", "リク", null), ("朝陽", "アサヒ", null), ("碧", "アオイ", null), ("蒼", "アオ", null),
        ("学", "マナブ", null), ("豊", "ユタカ", null), ("昭", "アキラ", null), ("義男", "ヨシオ", null), ("武", "タケシ", null),
    ];

    internal static readonly (string Name, string Kana, string? Gaiji)[] FemaleGiven =
    [
        ("陽菜", "ヒナ", null), ("結衣", "ユイ", null), ("さくら", "サクラ", null), ("美咲", "ミサキ", null), ("葵", "アオイ", null),
        ("凛", "リン", null), ("紬", "ツムギ", null), ("芽依", "メイ", null), ("莉子", "リコ", null), ("杏", "アン", null),
        ("恵子", "ケイコ", null), ("幸子", "サチコ", null), ("和子", "カズコ", null), ("洋子", "ヨウコ", null), ("節子", "セツコ", null),
        ("久美子", "クミコ", null), ("由美子", "ユミコ", null), ("直美", "ナオミ", null), ("明美", "アケミ", null), ("裕子", "ユウコ", null),
        ("智子", "トモコ", null), ("真由美", "マユミ", null), ("香織", "カオリ", null), ("愛", "アイ", null), ("彩", "アヤ", null),
        ("優子", "ユウコ", null), ("舞", "マイ", null), ("麻衣", "マイ", null), ("奈々", "ナナ", null), ("千尋", "チヒロ", null),
        ("ちよ", "チヨ", null), ("ハル", "ハル", null), ("トメ", "トメ", null), ("キヨ", "キヨ", null), ("文子", "フミコ", null),
        ("祐子", "ユウコ", "\uE00C子"), ("澄江", "スミエ", null), ("美穂", "ミホ", null), ("沙織", "サオリ", null), ("結菜", "ユイナ", null),
    ];

    /// <summary>Foreign residents: country (ISO 3166-1 numeric), surnames and given names in Latin capitals with katakana.</summary>
    internal static readonly (string Country, string Family, string FamilyKana, string Given, string GivenKana)[] Foreign =
    [
        ("076", "SILVA", "シルバ", "RAFAEL", "ハファエル"), ("076", "SANTOS", "サントス", "ANA", "アナ"), ("076", "OLIVEIRA", "オリベイラ", "LUCAS", "ルーカス"),
        ("608", "REYES", "レイエス", "MARIA", "マリア"), ("608", "CRUZ", "クルズ", "JOSE", "ホセ"), ("608", "GARCIA", "ガルシア", "ANGELICA", "アンジェリカ"),
        ("704", "NGUYEN", "グエン", "VAN AN", "ヴァンアン"), ("704", "TRAN", "チャン", "THI HOA", "ティホア"), ("704", "PHAM", "ファム", "MINH", "ミン"),
        ("156", "WANG", "ワン", "FANG", "ファン"), ("156", "LI", "リー", "WEI", "ウェイ"), ("410", "KIM", "キム", "MINJUN", "ミンジュン"),
        ("360", "SAPUTRA", "サプトラ", "BUDI", "ブディ"), ("524", "GURUNG", "グルン", "RAM", "ラム"),
    ];

    internal static readonly string[] Employers =
    [
        "株式会社大垣精工", "西濃運輸株式会社", "イビデン株式会社", "大垣共立銀行", "大垣市役所", "株式会社美濃工業", "岐阜県厚生農業協同組合連合会",
        "太平洋工業株式会社", "株式会社十六銀行", "揖斐川電気工業株式会社", "株式会社バロー", "大垣西濃信用金庫", "社会福祉法人大垣福祉会",
    ];

    internal static readonly string[] Apartments = ["メゾン大垣", "コーポ林", "ハイツ美濃", "グランドール", "サンライズ", "レジデンス水都", "アーバン西濃"];

    internal static readonly (string LgBase5, string Text)[] OtherCities =
    [
        ("21201", "岐阜県岐阜市"), ("21213", "岐阜県各務原市"), ("23106", "愛知県名古屋市中区"), ("21381", "岐阜県安八郡神戸町"),
        ("21361", "岐阜県不破郡垂井町"), ("21216", "岐阜県瑞穂市"), ("13101", "東京都千代田区"), ("23220", "愛知県稲沢市"),
        ("24202", "三重県四日市市"), ("27100", "大阪府大阪市"),
    ];
}
