-- scenario.sql -- the demo's data: a Shanghai sales team.
--
-- Loaded by "make demo" into a fresh database right after
-- CREATE EXTENSION hrguard CASCADE.  Zhang Wei punches in at the office
-- every morning of one week and then, from 09:00 to 11:00, at the address
-- of a competitor; the others visit clients.  The punches arrive as the
-- vendors' own responses; a listener (test/listener/hrguard_listen) started
-- by demo.sh prints the alerts as they are notified.

SET timezone = 'Asia/Shanghai';

INSERT INTO hrguard.employee
	(employee_id, display_name, team, role, work_mode, hired_on, dingtalk_userid, wecom_userid)
VALUES
	('S001', 'Zhang Wei',  'shanghai-east', 'sales',         'field',  '2021-04-01', 'dt-zhangwei', 'wc-zhangwei'),
	('S002', 'Li Na',      'shanghai-east', 'sales',         'field',  '2022-09-15', 'dt-lina',     NULL),
	('S003', 'Wang Qiang', 'shanghai-east', 'sales',         'field',  '2023-02-20', 'dt-wangqiang', NULL),
	('S004', 'Chen Jing',  'shanghai-east', 'sales',         'field',  '2024-07-01', NULL,          'wc-chenjing'),
	('M001', 'Liu Yang',   'shanghai-east', 'sales manager', 'office', '2019-03-11', 'dt-liuyang',  'wc-liuyang');

-- the office in Lujiazui, drawn on an AMap (GCJ-02) map, with its Wi-Fi
INSERT INTO hrguard.zone (name, kind, geom, source_crs, bssids, address)
VALUES ('Lujiazui office', 'office',
		ST_GeomFromText('POLYGON((121.5030 31.2380, 121.5060 31.2380, 121.5060 31.2400, 121.5030 31.2400, 121.5030 31.2380))', 4326),
		'gcj02', '{3c:46:d8:0a:1b:01, 3c:46:d8:0a:1b:02}', 'Century Avenue 100');
-- client sites: circles geocoded in GCJ-02, open for visits 09:00-18:00
INSERT INTO hrguard.schedule (name) VALUES ('client hours');
INSERT INTO hrguard.schedule_window (schedule_id, isodow, starts_at, ends_at)
SELECT schedule_id, d, '09:00', '18:00' FROM hrguard.schedule, generate_series(1, 5) d;
INSERT INTO hrguard.zone (name, kind, center, radius_m, source_crs, schedule_id, address)
SELECT v.name, 'client', ST_SetSRID(ST_MakePoint(v.lon, v.lat), 4326), 150, 'gcj02', s.schedule_id, v.address
  FROM hrguard.schedule s,
	   (VALUES ('Xuhui client', 31.1880, 121.4370, 'Caoxi Road 8'),
			   ('Jing''an client', 31.2290, 121.4480, 'Nanjing West Road 1266')) v(name, lat, lon, address);
-- the competitor, geocoded by Baidu (BD-09)
INSERT INTO hrguard.zone (name, kind, center, radius_m, source_crs, address)
VALUES ('Rival Trading Co.', 'competitor', ST_SetSRID(ST_MakePoint(121.4800, 31.2420), 4326), 120, 'bd09',
		'Tiantong Road 99');
INSERT INTO hrguard.zone_assignment (zone_id, team)
SELECT zone_id, 'shanghai-east' FROM hrguard.zone WHERE kind IN ('office', 'client');

-- 2026-10-01 to 07 is the National Day holiday; Saturday 2026-10-10 is a
-- make-up working day
INSERT INTO hrguard.calendar_day (day, is_workday, name)
SELECT d::date, false, 'National Day' FROM generate_series(date '2026-10-01', '2026-10-07', '1 day') d;
INSERT INTO hrguard.calendar_day (day, is_workday, name) VALUES ('2026-10-10', true, 'make-up working day');

-- Monday 2026-11-16 to Friday 2026-11-20, as the vendors report them.
-- The DingTalk team (Zhang Wei, Li Na, Wang Qiang) comes in one
-- attendance/listRecord response (test/demo/dingtalk_listrecord.json),
-- Chen Jing's WeCom group in one checkin/getcheckindata response
-- (test/demo/wecom_checkindata.json); demo.sh passes them as :'dingtalk'
-- and :'wecom'.  Positions are GCJ-02 with a few metres of jitter, as real
-- fixes have.
-- Zhang Wei: office at 08:55, at the competitor's address (which Baidu gave
-- in BD-09; DingTalk reports it in GCJ-02) at 09:05 and 10:50, back in the
-- office at 11:30.  The others: office, a client visit, office.  Li Na's
-- phone reports a position 60 km away five minutes after the office; Wang
-- Qiang punches on Sunday night from a phone never seen before, replaying
-- the exact coordinates of an earlier punch.  The payloads also carry a
-- contractor nobody registered and the vendors' notes of two missed
-- clock-outs: those are kept in hrguard.ingest_reject, not dropped.
\echo '== ingesting the DingTalk team''s attendance/listRecord response'
SELECT * FROM hrguard.ingest_dingtalk(:'dingtalk');
\echo '== ingesting the WeCom group''s checkin/getcheckindata response'
SELECT * FROM hrguard.ingest_wecom(:'wecom');
\echo '== the same responses again (a poller''s overlapping window): nothing new'
SELECT * FROM hrguard.ingest_dingtalk(:'dingtalk');
SELECT * FROM hrguard.ingest_wecom(:'wecom');
\echo '== records kept aside'
SELECT source, vendor_userid, reason, detail FROM hrguard.ingest_reject ORDER BY reject_id;
