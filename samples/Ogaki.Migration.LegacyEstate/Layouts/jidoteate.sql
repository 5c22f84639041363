-- 児童手当システム (synthetic legacy estate): SQLite, UTF-8 text.
-- Dates are TEXT 'YYYYMMDD', months TEXT 'YYYYMM', amounts INTEGER yen. Codes are vendor codes (README.md).
-- No foreign keys and no primary key on TAISHO_JIDO / SHIHARAI: the legacy product never enforced them.
CREATE TABLE JUKYUSHA (
    JKY_NO            TEXT NOT NULL,  -- 受給者番号 (10桁)
    ATENA_NO          TEXT NOT NULL,  -- 宛名番号 (住民記録と共通の10桁)
    JKY_SHIMEI        TEXT,           -- 受給者氏名
    JKY_KANA          TEXT,           -- 受給者氏名カナ (半角カナ)
    JKY_KBN           TEXT NOT NULL,  -- 受給者区分 I/F/K/S
    SEIKYU_YMD        TEXT,           -- 認定請求年月日 YYYYMMDD
    NINTEI_YMD        TEXT,           -- 認定年月日 YYYYMMDD
    SHIKYU_KAISHI_YM  TEXT,           -- 支給開始年月 YYYYMM
    SHIKYU_SHURYO_YM  TEXT,           -- 支給終了年月 YYYYMM (NULL = 継続中)
    SHOMETSU_CD       TEXT,           -- 消滅事由 TS/SB/NR/KG/KM/ZZ
    HAIGUSHA_ATENA_NO TEXT,           -- 配偶者宛名番号
    GENKYO_FLG        INTEGER NOT NULL DEFAULT 0, -- 現況届要否 0/1
    SASHITOME_FLG     INTEGER NOT NULL DEFAULT 0, -- 支払差止 0/1
    KINYU_CD          TEXT,           -- 金融機関コード (4桁)
    SHITEN_CD         TEXT,           -- 支店コード (3桁)
    YOKIN_SHU         TEXT,           -- 預金種目 F/T/C
    KOZA_NO           TEXT,           -- 口座番号 (7桁)
    KOZA_KANA         TEXT,           -- 口座名義カナ (半角カナ)
    GETSUGAKU         INTEGER NOT NULL, -- 手当月額 (抽出時点の合計)
    KOSHIN_DT         TEXT            -- 更新日時 YYYYMMDDhhmmss
);
CREATE TABLE TAISHO_JIDO (
    JKY_NO            TEXT NOT NULL,  -- 受給者番号
    JIDO_ATENA_NO     TEXT NOT NULL,  -- 児童宛名番号
    JIDO_SHIMEI       TEXT,           -- 児童氏名
    JIDO_SEINENGAPPI  TEXT,           -- 児童生年月日 YYYYMMDD
    ZOKUGARA_CD       TEXT,           -- 続柄 KO=子 MA=孫 SO=その他
    DOBEKKYO_KBN      TEXT,           -- 同別居区分 D=同居 B=別居
    JIDO_KBN          TEXT,           -- 児童区分 T=支給対象 S=算定のみ
    SHUSSHO_JUNI      INTEGER,        -- 出生順位
    SHIKYU_KBN        TEXT,           -- 支給区分 A/B/C/T (算定のみは空)
    GETSUGAKU         INTEGER NOT NULL, -- 月額
    TEKIYO_KAISHI_YM  TEXT NOT NULL,  -- 適用開始年月 YYYYMM
    TEKIYO_SHURYO_YM  TEXT            -- 適用終了年月 YYYYMM (NULL = 継続中)
);
CREATE TABLE SHIHARAI (
    JKY_NO            TEXT NOT NULL,  -- 受給者番号
    SHIHARAI_YM       TEXT NOT NULL,  -- 支払年月 YYYYMM
    TAISHO_FROM_YM    TEXT NOT NULL,  -- 対象月_開始 YYYYMM
    TAISHO_TO_YM      TEXT NOT NULL,  -- 対象月_終了 YYYYMM
    SHIHARAI_GAKU     INTEGER NOT NULL, -- 支払額
    SHIHARAI_KBN      TEXT NOT NULL   -- 支払区分 T=定例 Z=随時
);
CREATE INDEX IX_JUKYUSHA_ATENA ON JUKYUSHA (ATENA_NO);
CREATE INDEX IX_TAISHO_JIDO_JKY ON TAISHO_JIDO (JKY_NO);
CREATE INDEX IX_SHIHARAI_JKY ON SHIHARAI (JKY_NO, SHIHARAI_YM);
