// Schema 6 → 7: links gain their exclusion words (排除关键词) for classify; empty means none.
ALTER TABLE Link ADD IF NOT EXISTS exclude_keywords STRING[];
