MATCH (l:Link)-[:IN_CHAIN]->(:Chain {id: $chain})
RETURN l.id AS id, l.name AS name, l.stage AS stage, l.weight AS weight,
       l.industry_codes AS industry_codes, l.keywords AS keywords, l.source AS source,
       l.locality AS locality, l.exclude_keywords AS exclude_keywords
ORDER BY id
