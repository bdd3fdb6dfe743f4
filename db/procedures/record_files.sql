-- record_files.sql — the files of a case or an exemplar (migration 0032).
-- Loaded before exemplars.sql and cases.sql, whose documents list them.

-- A record's files, without their bytes, oldest first.
CREATE OR REPLACE FUNCTION record_files_json(p_kind text, p_owner bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'id', f.id, 'filename', f.filename, 'content_type', f.content_type,
           'size_bytes', f.size_bytes, 'sha256', encode(f.sha256, 'hex'),
           'created_at', f.created_at) ORDER BY f.id), '[]')
    FROM record_files f
   WHERE f.owner_kind = p_kind AND f.owner_id = p_owner
$$;

-- Adds a file to a case or an exemplar of the organisation, audited
-- with its name, type, size and digest (never its bytes).  The record is
-- locked meanwhile: its document changes with it.
CREATE OR REPLACE FUNCTION record_file_add(p_org bigint, p_atype text, p_aid text, p_req text,
  p_kind text, p_owner bigint, p_filename text, p_type text, p_sha bytea, p_data bytea)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  f record_files;
  doc jsonb;
BEGIN
  IF p_kind = 'case' THEN
    PERFORM 1 FROM cases WHERE organization_id = p_org AND id = p_owner FOR UPDATE;
  ELSE
    PERFORM 1 FROM exemplars WHERE organization_id = p_org AND id = p_owner FOR UPDATE;
  END IF;
  IF NOT FOUND THEN
    RETURN write_not_found();
  END IF;
  INSERT INTO record_files (organization_id, owner_kind, owner_id, filename, content_type,
                            size_bytes, sha256, data, created_by)
  VALUES (p_org, p_kind, p_owner, normalize(p_filename, NFC), p_type, length(p_data), p_sha,
          p_data, p_atype || ':' || p_aid)
  RETURNING * INTO f;
  doc := jsonb_build_object('id', f.id, p_kind || '_id', p_owner, 'filename', f.filename,
                            'content_type', f.content_type, 'size_bytes', f.size_bytes,
                            'sha256', encode(f.sha256, 'hex'), 'created_at', f.created_at);
  -- a denunciation's file name may name its author: the audit trail keeps
  -- only its digest and size (the lodger's rule, cases.sql)
  PERFORM audit_append(p_org, p_atype, p_aid, p_kind || '.attach', p_kind, p_owner::text, NULL,
                       CASE WHEN p_kind = 'case' AND EXISTS (
                              SELECT 1 FROM cases c WHERE c.id = p_owner
                                                      AND c.kind = 'denunciation')
                            THEN doc - 'filename' - 'content_type' ELSE doc END, p_req);
  RETURN write_ok(doc::text, NULL, f.id);
END $$;
