-- usage_record's tenant and key are guarded from the side that changes rarely instead of by foreign keys.
--
-- Why: the gateway writes usage records hundreds at a time (UsageRecorder's group commit), and a foreign key
-- costs one lookup of the tenant and one of the key per record (an RI query with a KEY SHARE lock each): about a
-- quarter of the settlement's batch statement (bench/results/ledger-*.md, issue 12 P5). The other side changes
-- rarely: nothing in the product deletes a tenant or a key (they are deactivated and revoked), and ids never change.
--
-- What still holds: deleting a tenant or key that has usage records, or changing its id, fails with SQLSTATE 23503
-- (foreign_key_violation), as it did under the foreign keys. Deleting one without usage works as before (every
-- other table that references them keeps its foreign key).
--
-- What is given up, knowingly:
--   * PostgreSQL no longer checks that a new record's tenant and key exist. The gateway records only tenants and
--     keys it authenticated (or, for the orphan sweeper, journalled, whose request_journal row keeps its foreign
--     keys), so a record of an unknown tenant or key is a bug upstream; it is stored, not refused.
--   * The guard sees committed records only: a delete that races a batch not yet committed for the same tenant or
--     key is not refused (the foreign key's KEY SHARE lock made the delete wait for that batch). With no delete in
--     the product this is left to whoever deletes by hand: revoke the key, wait for its requests to end, then check.
--   * TRUNCATE … CASCADE of tenant or api_key no longer reaches usage_record.
-- Deleting a key looks its usage up without an index on usage_record.api_key_id, as the foreign key did.

ALTER TABLE usage_record DROP CONSTRAINT usage_record_tenant_id_fkey,
                         DROP CONSTRAINT usage_record_api_key_id_fkey;

-- Refuses deleting, or changing the id of, a row whose id usage_record still names in column TG_ARGV[0].
CREATE FUNCTION refuse_orphaning_usage() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    used boolean;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN
        RETURN NEW;
    END IF;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM usage_record WHERE %I = $1)', TG_ARGV[0]) INTO used USING OLD.id;
    IF used THEN
        RAISE EXCEPTION '% % has usage records and cannot be deleted or renumbered', TG_TABLE_NAME, OLD.id
            USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME,
                  HINT = 'Deactivate the tenant or revoke the key instead.';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER tenant_keeps_its_usage BEFORE DELETE OR UPDATE OF id ON tenant
    FOR EACH ROW EXECUTE FUNCTION refuse_orphaning_usage('tenant_id');
CREATE TRIGGER api_key_keeps_its_usage BEFORE DELETE OR UPDATE OF id ON api_key
    FOR EACH ROW EXECUTE FUNCTION refuse_orphaning_usage('api_key_id');
