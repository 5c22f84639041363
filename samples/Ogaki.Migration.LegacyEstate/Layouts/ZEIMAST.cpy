      *================================================================*
      * ZEIMAST  個人住民税 課税マスタ  (synthetic legacy estate)       *
      *   DSN     ZEI.PROD.ZEIMAST   RECFM=F  LRECL=700  CCSID=930      *
      *   ENCODE  PIC X  : IBM930 mixed (SBCS katakana EBCDIC, DBCS    *
      *                    between SO X'0E' and SI X'0F'; SO/SI count *
      *                    in the field length), space X'40' padded   *
      *           PIC N  : pure DBCS, 2 bytes per char, no SO/SI,      *
      *                    DBCS space X'4040' padded                   *
      *           PIC 9  : zoned unsigned, zone F                      *
      *           PIC S9 : zoned signed, last byte zone C(+) / D(-)    *
      *           COMP-3 : packed, sign nibble C(+) / D(-)             *
      *           DATES  : 9(7) = EYYMMDD era-coded (1 明治 2 大正     *
      *                    3 昭和 4 平成 5 令和), 9(8) = YYYYMMDD,     *
      *                    zero = none                                 *
      *   RECORDS: one H, then D sorted by ATENA-NO/KAZEI-NENDO, one T *
      *   RECORD TYPE SELECTOR: ZM-REC-KBN (level-88 below); the       *
      *   layout REDEFINES ZM-BODY for each record type.               *
      *================================================================*
      *@ENCODING ibm930
      *@TERMINATOR NONE
      *@SELECTOR ZM-REC-KBN
      *@RECORD ZM-HEADER WHEN ZM-REC-HEADER HEADER
      *@RECORD ZM-DETAIL WHEN ZM-REC-DETAIL DATA
      *@RECORD ZM-TRAILER WHEN ZM-REC-TRAILER TRAILER COUNT ZM-T-DETAIL-COUNT TOTAL ZM-T-NENZEIGAKU-TOTAL OF ZM-NENZEIGAKU
       01  ZEIMAST-REC.
           05  ZM-REC-KBN                  PIC X(1).
               88  ZM-REC-HEADER                       VALUE 'H'.
               88  ZM-REC-DETAIL                       VALUE 'D'.
               88  ZM-REC-TRAILER                      VALUE 'T'.
           05  ZM-BODY                     PIC X(699).
      *---------------------------------------------------------------*
      * H: ヘッダレコード                                              *
      *---------------------------------------------------------------*
           05  ZM-HEADER REDEFINES ZM-BODY.
      *        全国地方公共団体コード (212024)
               10  ZM-H-DANTAI-CD          PIC 9(6).
      *        団体名 (大垣市)
               10  ZM-H-DANTAI-MEI         PIC N(10).
      *        作成年月日 YYYYMMDD
               10  ZM-H-SAKUSEI-YMD        PIC 9(8).
      *        システムID
               10  ZM-H-SYSTEM-ID          PIC X(8).
      *        レコード長 (00700)
               10  ZM-H-LRECL              PIC 9(5).
               10  FILLER                  PIC X(652).
      *---------------------------------------------------------------*
      * D: 課税明細レコード (宛名番号 x 課税年度 ごとに1件)             *
      *---------------------------------------------------------------*
           05  ZM-DETAIL REDEFINES ZM-BODY.
      *        宛名番号 (住民記録と共通の10桁)
               10  ZM-ATENA-NO             PIC 9(10).
      *        課税年度 (西暦)
               10  ZM-KAZEI-NENDO          PIC 9(4).
      *        個人番号 (空白=未取得)
               10  ZM-KOJIN-NO             PIC X(12).
      *        氏名 (漢字、外字はユーザー定義領域 X'6941'-)
               10  ZM-SHIMEI               PIC X(42).
      *        氏名カナ (半角カナ)
               10  ZM-SHIMEI-KANA          PIC X(30).
      *        生年月日 EYYMMDD
               10  ZM-SEINENGAPPI          PIC 9(7).
      *        賦課期日住所 (1月1日現在)
               10  ZM-FUKA-JUSHO           PIC X(80).
      *        課税区分 A=課税 B=均等割のみ C=非課税
               10  ZM-KAZEI-KBN            PIC X(1).
      *        未申告区分 空白=申告あり M=未申告
               10  ZM-MISHINKOKU-KBN       PIC X(1).
      *        他団体課税区分 空白=該当なし T=他団体課税対象者
               10  ZM-TADANTAI-KBN         PIC X(1).
      *        所得 (所得区分ごと、未使用は空白/ゼロ)
               10  ZM-SHOTOKU-TBL          OCCURS 4.
                   15  ZM-SHOTOKU-CD       PIC X(2).
                   15  ZM-SHUNYU-GAKU      PIC S9(11)V99 COMP-3.
                   15  ZM-KEIHI-GAKU       PIC S9(11)V99 COMP-3.
                   15  ZM-SHOTOKU-GAKU     PIC S9(11)V99 COMP-3.
      *        総所得金額等 / 所得控除合計 / 課税総所得金額
               10  ZM-SO-SHOTOKU           PIC S9(11)V99 COMP-3.
               10  ZM-KOJO-GOKEI           PIC S9(11)V99 COMP-3.
               10  ZM-KAZEI-SHOTOKU        PIC S9(11)V99 COMP-3.
      *        所得控除 (控除区分ごと、未使用は空白/ゼロ)
               10  ZM-KOJO-TBL             OCCURS 8.
                   15  ZM-KOJO-CD          PIC X(2).
                   15  ZM-KOJO-GAKU        PIC S9(9)V99 COMP-3.
      *        税額
               10  ZM-SHI-SHOTOKUWARI      PIC S9(9)V99 COMP-3.
               10  ZM-SHI-KINTOWARI        PIC S9(9)V99 COMP-3.
               10  ZM-KEN-SHOTOKUWARI      PIC S9(9)V99 COMP-3.
               10  ZM-KEN-KINTOWARI        PIC S9(9)V99 COMP-3.
               10  ZM-SHINRIN-ZEI          PIC S9(9)V99 COMP-3.
               10  ZM-ZEIGAKU-KOJO         PIC S9(9)V99 COMP-3.
               10  ZM-NENZEIGAKU           PIC S9(9)V99 COMP-3.
      *        徴収区分 0=普通 1=給特 2=年特 3=給特+普通 4=年特+普通
      *                 5=給特+年特 6=給特+年特+普通 (README)
               10  ZM-CHOSHU-KBN           PIC X(1).
      *        普通徴収
               10  ZM-FUCHO-AREA.
                   15  ZM-FUCHO-GAKU       PIC S9(9)V99 COMP-3.
                   15  ZM-KIBETSU-TBL      OCCURS 4.
                       20  ZM-NOKIGEN      PIC 9(8).
                       20  ZM-KIBETSU-GAKU PIC S9(9)V99 COMP-3.
      *        給与特別徴収 (月割額は6月から翌年5月の順)
               10  ZM-KYUTOKU-AREA.
                   15  ZM-KYUTOKU-GAKU     PIC S9(9)V99 COMP-3.
                   15  ZM-GIMUSHA-NO       PIC X(10).
                   15  ZM-GIMUSHA-MEI      PIC N(20).
                   15  ZM-GETSUWARI-GAKU   PIC S9(7)V99 COMP-3
                                           OCCURS 12.
      *        公的年金特別徴収 (仮徴収 4/6/8月、本徴収 10/12/2月)
               10  ZM-NENTOKU-AREA.
                   15  ZM-NENTOKU-GAKU     PIC S9(9)V99 COMP-3.
                   15  ZM-NENKIN-HOKENSHA  PIC X(3).
                   15  ZM-KARI-CHOSHU-GAKU PIC S9(7)V99 COMP-3
                                           OCCURS 3.
                   15  ZM-HON-CHOSHU-GAKU  PIC S9(7)V99 COMP-3
                                           OCCURS 3.
      *        更正回数 / 更正年月日 EYYMMDD / 更正差額 (符号付き)
               10  ZM-KOSEI-KAISU          PIC 9(2).
               10  ZM-KOSEI-YMD            PIC 9(7).
               10  ZM-KOSEI-SAGAKU         PIC S9(9).
      *        最終更新日 YYYYMMDD
               10  ZM-KOSHIN-YMD           PIC 9(8).
               10  FILLER                  PIC X(48).
      *---------------------------------------------------------------*
      * T: トレーラレコード                                            *
      *---------------------------------------------------------------*
           05  ZM-TRAILER REDEFINES ZM-BODY.
      *        総レコード件数 (H と T を含む)
               10  ZM-T-RECORD-COUNT       PIC 9(9).
      *        明細レコード件数 (D の件数)
               10  ZM-T-DETAIL-COUNT       PIC 9(9).
      *        年税額合計 (D の ZM-NENZEIGAKU の合計)
               10  ZM-T-NENZEIGAKU-TOTAL   PIC S9(15)V99 COMP-3.
               10  FILLER                  PIC X(672).
