MATCH (:{{from_label}})-[e:{{rel}}]->(:{{to_label}})
RETURN count(e) AS n
