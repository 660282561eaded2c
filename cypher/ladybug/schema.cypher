// LadybugDB schema: node and relationship tables. Property order matters: COPY maps
// columns by position. Must match chainmap/graph.py (tests/test_schema.py checks).

CREATE NODE TABLE IF NOT EXISTS Chain(
    id STRING PRIMARY KEY,
    name STRING,
    description STRING,
    source STRING,
    extra STRING,
    goods_keywords STRING[]
);
CREATE NODE TABLE IF NOT EXISTS Link(
    id STRING PRIMARY KEY,
    chain_id STRING,
    name STRING,
    stage STRING,
    industry_codes STRING[],
    keywords STRING[],
    weight DOUBLE,
    source STRING,
    extra STRING,
    locality STRING,
    exclude_keywords STRING[]
);
CREATE NODE TABLE IF NOT EXISTS Town(
    id STRING PRIMARY KEY,
    name STRING,
    province STRING,
    city STRING,
    county STRING,
    division_code STRING,
    level STRING,
    category STRING,
    lead_chain_id STRING,
    output_value_wan DOUBLE,
    year INT64,
    source STRING,
    extra STRING,
    lon DOUBLE,
    lat DOUBLE,
    historic_gi BOOLEAN,
    lead_industry_in_town BOOLEAN
);
CREATE NODE TABLE IF NOT EXISTS Firm(
    id STRING PRIMARY KEY,
    name STRING,
    province STRING,
    city STRING,
    county STRING,
    town_id STRING,
    revenue_wan DOUBLE,
    employees INT64,
    founded_year INT64,
    badges STRING[],
    leading BOOLEAN,
    source STRING,
    extra STRING,
    lon DOUBLE,
    lat DOUBLE
);
CREATE NODE TABLE IF NOT EXISTS Project(
    id STRING PRIMARY KEY,
    name STRING,
    town_id STRING,
    link_id STRING,
    investor_firm_id STRING,
    investor_name STRING,
    investment_wan DOUBLE,
    status STRING,
    signed_on STRING,
    started_on STRING,
    producing_on STRING,
    effective_on STRING,
    terminated_on STRING,
    owner_unit STRING,
    notes STRING,
    extra STRING,
    talks_on STRING,
    referrer_firm_id STRING,
    referrer_name STRING
);
CREATE NODE TABLE IF NOT EXISTS Indicator(
    id STRING PRIMARY KEY,
    town_id STRING,
    year INT64,
    output_value_wan DOUBLE,
    firms INT64,
    above_scale_firms INT64,
    supporting_firms INT64,
    market_entities INT64,
    employees INT64,
    tax_wan DOUBLE,
    platforms INT64,
    source STRING,
    extra STRING
);
CREATE NODE TABLE IF NOT EXISTS Platform(
    id STRING PRIMARY KEY,
    name STRING,
    type STRING,
    level STRING,
    town_id STRING,
    firm_id STRING,
    source STRING,
    extra STRING
);
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
// Not a contract table: which generation of firm data the store holds (a token written in the
// transaction of every import that changes firms or what they make), so derived files such as
// the targets snapshot know when they are stale.
CREATE NODE TABLE IF NOT EXISTS StoreState(
    id STRING PRIMARY KEY,
    generation STRING
);
CREATE REL TABLE IF NOT EXISTS IN_CHAIN(FROM Link TO Chain);
CREATE REL TABLE IF NOT EXISTS FLOWS_TO(FROM Link TO Link);
CREATE REL TABLE IF NOT EXISTS LEAD_CHAIN(FROM Town TO Chain);
CREATE REL TABLE IF NOT EXISTS IN_TOWN(FROM Firm TO Town);
CREATE REL TABLE IF NOT EXISTS MAKES(FROM Firm TO Link, product STRING);
CREATE REL TABLE IF NOT EXISTS SUPPLIES(FROM Firm TO Firm, product STRING, value_wan DOUBLE);
CREATE REL TABLE IF NOT EXISTS PROJECT_IN(FROM Project TO Town);
CREATE REL TABLE IF NOT EXISTS PROJECT_FOR(FROM Project TO Link);
CREATE REL TABLE IF NOT EXISTS INVESTED_BY(FROM Project TO Firm);
CREATE REL TABLE IF NOT EXISTS INDICATOR_OF(FROM Indicator TO Town);
CREATE REL TABLE IF NOT EXISTS PLATFORM_IN(FROM Platform TO Town);
CREATE REL TABLE IF NOT EXISTS PLATFORM_OF(FROM Platform TO Firm);
CREATE REL TABLE IF NOT EXISTS GAP(FROM Town TO Link, kind STRING, status STRING, local_firms INT64, leading_firms INT64);
