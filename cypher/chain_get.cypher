MATCH (c:Chain {id: $chain})
RETURN c.id AS id, c.name AS name, c.description AS description, c.source AS source,
       c.goods_keywords AS goods_keywords
