// Schema 4 → 5: links gain their locality (就近 / 区域 / 全国); empty means 全国.
ALTER TABLE Link ADD IF NOT EXISTS locality STRING;
