// Schema 5 → 6: after the target (issue 15). Projects gain the 在谈 date and the 以企引企
// referrer; funds received, leads, follow-ups, problems and tasks get their tables.
ALTER TABLE Project ADD IF NOT EXISTS talks_on STRING;
ALTER TABLE Project ADD IF NOT EXISTS referrer_firm_id STRING;
ALTER TABLE Project ADD IF NOT EXISTS referrer_name STRING;
CREATE NODE TABLE IF NOT EXISTS Funding(
    id STRING PRIMARY KEY,
    project_id STRING,
    received_on STRING,
    amount_wan DOUBLE,
    notes STRING
);
CREATE NODE TABLE IF NOT EXISTS Lead(
    id STRING PRIMARY KEY,
    town_id STRING,
    firm_id STRING,
    link_id STRING,
    status STRING,
    status_on STRING,
    owner_unit STRING,
    notes STRING
);
CREATE NODE TABLE IF NOT EXISTS FollowUp(
    id STRING PRIMARY KEY,
    town_id STRING,
    firm_id STRING,
    followed_on STRING,
    way STRING,
    contact STRING,
    result STRING,
    next_step STRING,
    next_on STRING,
    owner_unit STRING
);
CREATE NODE TABLE IF NOT EXISTS Problem(
    id STRING PRIMARY KEY,
    town_id STRING,
    project_id STRING,
    firm_id STRING,
    raised_on STRING,
    description STRING,
    owner_unit STRING,
    due_on STRING,
    status STRING,
    resolved_on STRING,
    notes STRING,
    extra STRING
);
CREATE NODE TABLE IF NOT EXISTS Task(
    id STRING PRIMARY KEY,
    town_id STRING,
    year INT64,
    item STRING,
    owner_unit STRING,
    due_on STRING,
    progress STRING,
    status STRING,
    done_on STRING,
    extra STRING
);
