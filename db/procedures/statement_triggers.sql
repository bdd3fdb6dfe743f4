-- statement_triggers.sql — the one shape of the statement-level triggers
-- that keep derived data (target_progress.sql, staff_facts.sql).

-- An AFTER p_event FOR EACH STATEMENT trigger named p_name on p_table,
-- calling p_function (with the text argument p_arg when given), the rows
-- it changed visible as "changed" (the new rows of an insert or an update,
-- the old rows of a delete) and, for an update, the old rows as "before".
-- CREATE OR REPLACE: loading the procedures again changes nothing; a
-- trigger dropped from a caller's list stays until a migration drops it.
CREATE OR REPLACE FUNCTION statement_trigger(p_table text, p_name text, p_event text,
                                             p_function text, p_arg text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER %s ON %I REFERENCING %s '
                 'FOR EACH STATEMENT EXECUTE FUNCTION %I(%s)',
                 p_name, p_event, p_table,
                 CASE p_event WHEN 'insert' THEN 'NEW TABLE AS changed'
                              WHEN 'delete' THEN 'OLD TABLE AS changed'
                              ELSE 'OLD TABLE AS before NEW TABLE AS changed' END,
                 p_function, coalesce(quote_literal(p_arg), ''));
END $$;

-- One such trigger per event of p_events (space-separated: "insert update
-- delete"), each named <p_table>_<p_topic>_<event>: the names the callers
-- have always given them, so loading again replaces rather than adds.
CREATE OR REPLACE FUNCTION statement_triggers(p_table text, p_topic text, p_events text,
                                              p_function text, p_arg text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  ev text;
BEGIN
  FOREACH ev IN ARRAY string_to_array(p_events, ' ') LOOP
    PERFORM statement_trigger(p_table, p_table || '_' || p_topic || '_' || ev, ev, p_function,
                              p_arg);
  END LOOP;
END $$;
