namespace Ogaki.Migration.Adapters.Tests;

/// <summary>Copybooks and layout files used by the copybook, fixed-length and conformance tests.</summary>
internal static class CopybookSamples
{
    /// <summary>A tax master in the mainframe style: header / data / trailer as REDEFINES branches.</summary>
    public const string TaxMaster = """
      000100*----------------------------------------------------------------
      000200* ZEIMAST  個人住民税マスタ (test copy)
      000300*@SELECTOR ZM-REC-KBN
      000400*@RECORD ZM-HEADER WHEN ZM-KBN-HEADER HEADER
      000500*@RECORD ZM-DATA   WHEN ZM-KBN-DATA
      000600*@RECORD ZM-TRAILER VALUE '9' TRAILER COUNT ZM-T-KENSU TOTAL ZM-T-GOKEI OF ZM-D-ZEIGAKU
      000700*----------------------------------------------------------------
      000800 01  ZM-RECORD.
      000900     05  ZM-REC-KBN              PIC X(01).
      001000         88  ZM-KBN-HEADER       VALUE '0'.
      001100         88  ZM-KBN-DATA         VALUE '1'.
      001200         88  ZM-KBN-TRAILER      VALUE '9'.
      001300     05  ZM-HEADER.
      001400         10  ZM-H-SAKUSEI-BI     PIC 9(08).
      001500         10  ZM-H-SHICHOSON      PIC X(06).
      001600         10  FILLER              PIC X(65).
      001700     05  ZM-DATA REDEFINES ZM-HEADER.
      001800         10  ZM-D-ATENA-NO       PIC 9(10).
      001900         10  ZM-D-SHIMEI-KANA    PIC X(10).
      002000         10  ZM-D-SHIMEI         PIC N(05).
      002100         10  ZM-D-NENDO          PIC 9(04).
      002200         10  ZM-D-ZEIGAKU        PIC S9(09) COMP-3.
      002300         10  ZM-D-GETSUWARI      PIC S9(7)V99 COMP-3
      002400                                 OCCURS 3 TIMES.
      002500         10  ZM-D-KIBETSU OCCURS 2 TIMES.
      002600             15  ZM-D-KI-NO      PIC 9(02).
      002700             15  ZM-D-KI-GAKU    PIC S9(05) USAGE COMP-3.
      002800         10  ZM-D-CHOSEI         PIC S9(05).
      002900         10  ZM-D-KENSU          PIC 9(04) COMP.
      003000         10  FILLER              PIC X(05).
      003100     05  ZM-TRAILER REDEFINES ZM-HEADER.
      003200         10  ZM-T-KENSU          PIC 9(07).
      003300         10  ZM-T-GOKEI          PIC S9(13) COMP-3.
      003400         10  FILLER              PIC X(65).
      """;

    /// <summary>Open-system resident file layout (CP932 or UTF-8), one record type, CRLF.</summary>
    public const string ResidentLayout = """
        # JUMIN (test copy)
        #@TERMINATOR CRLF
        record_type,name,offset,length,type,scale,notes
        ,ATENA-NO,0,10,9,,宛名番号
        ,SHIMEI-KANA,10,20,X,,ｶﾅ氏名
        ,SHIMEI,30,20,N,,氏名
        ,SEIBETSU,50,1,9,,性別
        ,SEINENGAPPI,51,7,9,,EYYMMDD
        ,ZEIGAKU,58,8,S9,2,
        ,FILLER,66,2,filler,,
        """;
}
