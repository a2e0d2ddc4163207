-- ingest_parallel: payloads large enough to be read by the backend and a
-- parallel worker give exactly what reading alone gives (punches, rejects,
-- duplicates, evidence), for each vendor's reader; errors in either half are
-- the errors reading alone reports; no worker to be had, exception blocks,
-- an error mid-read and SERIALIZABLE leave nothing behind.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET timezone = 'UTC';

INSERT INTO hrguard.employee (employee_id, tenant_id, dingtalk_userid, wecom_userid)
SELECT 'PL-' || g, 'pl', 'pl-dt-' || g, 'pl-wc-' || g FROM generate_series(0, 19) g;

-- n DingTalk listRecord records (about 600 bytes each): users 20-22 are
-- unknown, some times are missing, some punches were not made, one id comes
-- twice (once in each half), coordinates as numbers and as strings; record
-- number broken is replaced by broken_text as it is
CREATE FUNCTION pg_temp.dingtalk(n int, first_id bigint DEFAULT 0, broken int DEFAULT 0,
								 broken_text text DEFAULT NULL, broken2 int DEFAULT 0)
	RETURNS text LANGUAGE sql AS $$
SELECT '{"errcode": 0, "errmsg": "ok", "recordresult": [' ||
	   string_agg(CASE WHEN g IN (broken, broken2) THEN broken_text ELSE
		   (jsonb_build_object(
			   'id', first_id + CASE WHEN g = n - 10 THEN 11 ELSE g END,
			   'userId', 'pl-dt-' || g % 23,
			   'checkType', CASE WHEN g % 13 = 0 THEN 'Strange' WHEN g % 2 = 0 THEN 'OnDuty' ELSE 'OffDuty' END,
			   'timeResult', CASE WHEN g % 501 = 0 THEN 'NotSigned' ELSE 'Normal' END,
			   'locationResult', 'Normal',
			   'sourceType', CASE WHEN g % 17 = 0 THEN 'APPROVE' ELSE 'USER' END,
			   'userLatitude', CASE WHEN g % 5 = 0 THEN to_jsonb((31.2 + g % 100 * 0.0001)::text)
									ELSE to_jsonb(31.2 + g % 100 * 0.0001) END,
			   'userLongitude', 121.4 + g % 50 * 0.0001,
			   'userAccuracy', 20,
			   'deviceId', 'dev-' || g % 7,
			   'userAddress', '上海市静安区南京西路' || g || '号',
			   'remark', repeat('备注', 100 + g % 40))
			|| CASE WHEN g % 997 = 0 THEN '{}'::jsonb
					ELSE jsonb_build_object('userCheckTime', 1793491200000 + g * 61000::bigint) END)::text
	   END, ', ' ORDER BY g) || ']}'
  FROM generate_series(1, n) g
$$;

-- what an ingestion stored, without the ids that differ between runs
CREATE FUNCTION pg_temp.stored()
	RETURNS TABLE (punches bigint, punch_digest text, rejects bigint, reject_digest text)
	LANGUAGE sql SET work_mem = '64MB' AS $$
SELECT (SELECT count(*) FROM hrguard.punch WHERE employee_id LIKE 'PL-%'),
	   (SELECT md5(string_agg(concat_ws('|', employee_id, punched_at, raw_lat, raw_lon, raw_crs,
										accuracy_m, check_type, source, source_record_id, device_id,
										wifi_bssid, address, verdict, vendor_flags),
							  ',' ORDER BY source, source_record_id))
		  FROM hrguard.punch WHERE employee_id LIKE 'PL-%'),
	   (SELECT count(*) FROM hrguard.ingest_reject WHERE raw_record LIKE '%pl-%'),
	   (SELECT md5(string_agg(concat_ws('|', source, vendor_userid, source_record_id, reason,
										detail, raw_record), ',' ORDER BY raw_sha256, reason))
		  FROM hrguard.ingest_reject WHERE raw_record LIKE '%pl-%')
$$;

-- an ingestion's outcome, or its error, with so many workers allowed
CREATE FUNCTION pg_temp.outcome(vendor text, payload text, workers int) RETURNS text
	LANGUAGE plpgsql AS $$
DECLARE
	r record;
BEGIN
	PERFORM set_config('max_parallel_maintenance_workers', workers::text, true);
	IF vendor = 'dingtalk' THEN
		SELECT * INTO r FROM hrguard.ingest_dingtalk(payload);
	ELSE
		SELECT * INTO r FROM hrguard.ingest_wecom(payload);
	END IF;
	RETURN format('%s received, %s inserted, %s duplicates, %s rejected',
				  r.received, r.inserted, r.duplicates, r.rejected);
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;

-- the payload ingested by two processes, its outcome and whether it stored
-- what reading alone stores (read alone first, in a block then undone)
CREATE FUNCTION pg_temp.as_alone(vendor text, payload text)
	RETURNS TABLE (outcome text, same_punches boolean, same_rejects boolean)
	LANGUAGE plpgsql AS $$
DECLARE
	alone record;
BEGIN
	BEGIN
		PERFORM pg_temp.outcome(vendor, payload, 0);
		SELECT * INTO alone FROM pg_temp.stored();
		RAISE EXCEPTION 'undone';
	EXCEPTION WHEN raise_exception THEN
		NULL;
	END;
	outcome := pg_temp.outcome(vendor, payload, 2);
	SELECT s.punch_digest IS NOT DISTINCT FROM alone.punch_digest,
		   s.reject_digest IS NOT DISTINCT FROM alone.reject_digest
	  INTO same_punches, same_rejects
	  FROM pg_temp.stored() s;
	RETURN NEXT;
END
$$;

-- record 6500, in the worker's share, has a key twice: jansson refuses it
CREATE TEMP TABLE payload AS SELECT pg_temp.dingtalk(7000, 0, 6500, '{"id": 1, "id": 2}') AS body;
SELECT octet_length(body) > 4 * 1024 * 1024 AS large_enough FROM payload;

-- read alone (no parallel worker allowed), then undone
BEGIN;
SET LOCAL max_parallel_maintenance_workers = 0;
SELECT * FROM hrguard.ingest_dingtalk((SELECT body FROM payload));
SELECT punches, rejects, punch_digest AS alone_punches, reject_digest AS alone_rejects
  FROM pg_temp.stored() \gset
ROLLBACK;
SELECT punches, rejects FROM pg_temp.stored();

-- read by two processes: the backend says how the records were shared
SET client_min_messages = debug1;
SELECT * FROM hrguard.ingest_dingtalk((SELECT body FROM payload));
SET client_min_messages = warning;
SELECT punches, rejects, punch_digest = :'alone_punches' AS same_punches,
	   reject_digest = :'alone_rejects' AS same_rejects
  FROM pg_temp.stored();
SELECT count(*) FILTER (WHERE employee_id LIKE 'PL-%') AS chains, bool_and(ok) AS all_verify
  FROM hrguard.verify_all();

-- the same payload again: nothing new, in either way of reading
SELECT pg_temp.outcome('dingtalk', body, 2) FROM payload;
SELECT pg_temp.outcome('dingtalk', body, 0) FROM payload;

-- no worker to be had (max_parallel_workers = 0): read alone, same result
SET max_parallel_workers = 0;
SET client_min_messages = debug1;
SELECT * FROM hrguard.ingest_dingtalk((SELECT body FROM payload));
SET client_min_messages = warning;
RESET max_parallel_workers;

-- payloads that are not JSON in the worker's half, in the backend's, or in
-- both: the error reading alone reports (the first one), with its byte
-- offset, and nothing stored
CREATE TEMP TABLE broken (what text, body text);
INSERT INTO broken VALUES
	('a bracket too many late', pg_temp.dingtalk(7000, 50000, 6000, '{"id": 1}}')),
	('a string that does not end late', pg_temp.dingtalk(7000, 50000, 6000, '{"id": "1}')),
	('nested too deep late', pg_temp.dingtalk(7000, 50000, 6000, repeat('[', 70) || repeat(']', 70))),
	('a comma missing late', pg_temp.dingtalk(7000, 50000, 6000, '{"id": 1} {"id": 2}')),
	('broken early and late', pg_temp.dingtalk(7000, 50000, 6000, '{"id": 1}}', 1000)),
	('truncated', left(pg_temp.dingtalk(7000, 50000), -2000));
SELECT what, pg_temp.outcome('dingtalk', body, 2) AS two,
	   pg_temp.outcome('dingtalk', body, 2) = pg_temp.outcome('dingtalk', body, 0) AS as_alone
  FROM broken ORDER BY what;
-- an exception block around a parallel ingestion that fails after it:
-- everything undone
DO $$
BEGIN
	BEGIN
		PERFORM hrguard.ingest_dingtalk(pg_temp.dingtalk(7000, 70000));
		RAISE EXCEPTION 'after the ingestion';
	EXCEPTION WHEN raise_exception THEN
		RAISE WARNING 'caught: %', SQLERRM;
	END;
END
$$;
SELECT punches FROM pg_temp.stored();

-- an error in the backend's share while the worker reads, outside any
-- block: nothing stored, and the session reads in parallel again after
-- (cancels and terminated workers: see docs/vendors.md)
SELECT * FROM hrguard.ingest_dingtalk((SELECT body FROM broken WHERE what = 'broken early and late'));
SELECT punches FROM pg_temp.stored();
CREATE TEMP TABLE later AS SELECT pg_temp.dingtalk(7000, 80000) AS body;
SET client_min_messages = debug1;
SELECT * FROM hrguard.ingest_dingtalk((SELECT body FROM later));
SET client_min_messages = warning;

-- where the worker's share was to begin, the text looks like the start of a
-- record but lies inside a string: the backend finds out, reads on alone,
-- and stores what it would have stored alone
CREATE TEMP TABLE tricky AS
SELECT replace(pg_temp.dingtalk(7000, 90000), '备注备注', '备注}, {备注') AS body;
SET client_min_messages = debug1;
SELECT * FROM pg_temp.as_alone('dingtalk', (SELECT body FROM tricky));
SET client_min_messages = warning;

-- SERIALIZABLE, and a worker's share of an attendance_check_record event
BEGIN ISOLATION LEVEL SERIALIZABLE;
SET LOCAL client_min_messages = debug1;
SELECT * FROM hrguard.ingest_dingtalk(
	'{"EventType": "attendance_check_record", "DataList": [' ||
	(SELECT string_agg(format('{"userId": "pl-dt-%s", "checkTime": %s, "latitude": 31.2%s, '
							  '"longitude": 121.4%s, "locationMethod": "MAP", "bizId": "ev-%s", '
							  '"remark": "%s"}', g % 20, 1794000000000 + g * 60000::bigint,
							  g % 90, g % 70, g, repeat('x', 700)), ', ')
	   FROM generate_series(1, 6000) g) || ']}');
COMMIT;

-- a WeCom payload: two ways of reading, the same rows
CREATE TEMP TABLE wecom AS
SELECT '{"errcode": 0, "errmsg": "ok", "checkindata": [' ||
	   string_agg(format('{"userid": "pl-wc-%s", "groupname": "打卡一组", "checkin_type": "%s", '
						 '"exception_type": "%s", "checkin_time": %s, "location_title": "依澜府", '
						 '"location_detail": "%s", "lat": %s, "lng": %s, "groupid": 1, '
						 '"timeline_id": 2, "wifiname": "办公一区", "notes": "%s"}',
						 g % 23, CASE WHEN g % 3 = 0 THEN '下班打卡' ELSE '上班打卡' END,
						 CASE WHEN g % 7 = 0 THEN '地点异常；时间异常' ELSE '' END,
						 1794100000 + g * 60, '四川省成都市武侯区益州大道' || g || '号',
						 CASE WHEN g % 11 = 0 THEN 0 ELSE 30573000 + g % 100 END,
						 CASE WHEN g % 11 = 0 THEN 0 ELSE 104066000 + g % 100 END,
						 repeat('路上堵车', 40)), ', ') || ']}' AS body
  FROM generate_series(1, 6000) g;
SELECT octet_length(body) > 4 * 1024 * 1024 AS large_enough FROM wecom;
SET client_min_messages = debug1;
SELECT * FROM pg_temp.as_alone('wecom', (SELECT body FROM wecom));
SET client_min_messages = warning;
SELECT count(*) FILTER (WHERE employee_id LIKE 'PL-%') AS chains, bool_and(ok) AS all_verify
  FROM hrguard.verify_all();
