MATCH (i:Indicator)-[:INDICATOR_OF]->(:Town {id: $town})
RETURN i.year AS year, i.output_value_wan AS output_value_wan, i.firms AS firms,
       i.above_scale_firms AS above_scale_firms, i.supporting_firms AS supporting_firms,
       i.market_entities AS market_entities, i.employees AS employees, i.tax_wan AS tax_wan,
       i.platforms AS platforms
ORDER BY year
