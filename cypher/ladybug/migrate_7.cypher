// Schema 6 → 7 (issue 14): links gain their exclusion words (排除关键词) and chains the general
// words for their goods (产品大类词), both for classify; empty means none.
ALTER TABLE Link ADD IF NOT EXISTS exclude_keywords STRING[];
ALTER TABLE Chain ADD IF NOT EXISTS goods_keywords STRING[];
