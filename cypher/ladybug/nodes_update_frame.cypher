// Set the properties an Arrow frame holds (columns v_id, v_<property>) on existing nodes.
LOAD FROM $frame
MATCH (n:{{label}} {id: v_id})
SET {{set_props_frame}}
