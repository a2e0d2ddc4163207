-- scenario.sql -- the demo's data: a Shanghai sales team.
--
-- Loaded by "make demo" into a fresh database right after
-- CREATE EXTENSION hrguard CASCADE.  Zhang Wei punches in at the office
-- every morning of one week and then, from 09:00 to 11:00, at the address
-- of a competitor; the others visit clients.  This psql session LISTENs on
-- hrguard_alert, so the notifications it receives are printed as they come.

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

LISTEN hrguard_alert;

-- Monday 2026-11-16 to Friday 2026-11-20.  Positions come from DingTalk in
-- GCJ-02 with a few metres of jitter, as real fixes have.
-- Zhang Wei: office at 08:55, at the competitor's address (which Baidu gave
-- in BD-09; DingTalk reports it in GCJ-02) at 09:05 and 10:50, back in the
-- office at 11:30
INSERT INTO hrguard.punch (employee_id, punched_at, raw_lat, raw_lon, raw_crs, accuracy_m,
						   check_type, source, source_record_id, device_id, wifi_bssid)
SELECT 'S001', d + t.at,
	   coalesce(t.lat, rival.lat) + (hashint4((k * 10 + t.n)::int) % 40) * 1e-6,
	   coalesce(t.lon, rival.lon) + (hashint4((k * 10 + t.n + 5)::int) % 40) * 1e-6,
	   'gcj02', 15, t.check_type, 'dingtalk',
	   'dt-S001-' || to_char(d, 'YYYYMMDD') || '-' || t.n, 'zw-iphone', t.bssid
  FROM generate_series(timestamptz '2026-11-16 00:00+08', '2026-11-20 00:00+08', '1 day') WITH ORDINALITY AS days(d, k),
	   hrguard.bd09_to_gcj02(31.2420, 121.4800) AS rival,
	   (VALUES (1, interval '08:55', 31.2390, 121.5045, 'on_duty', '3c:46:d8:0a:1b:01'),
			   (2, interval '09:05', NULL, NULL, 'visit', NULL),
			   (3, interval '10:50', NULL, NULL, 'visit', NULL),
			   (4, interval '11:30', 31.2391, 121.5046, 'other', '3c:46:d8:0a:1b:02')) AS t(n, at, lat, lon, check_type, bssid)
 ORDER BY d, t.at;

-- the others: office, then a client visit
INSERT INTO hrguard.punch (employee_id, punched_at, raw_lat, raw_lon, raw_crs, accuracy_m,
						   check_type, source, source_record_id, device_id)
SELECT e, d + t.at,
	   t.lat + (hashint4((k * 100 + t.n * 10 + ascii(right(e, 1)))::int) % 40) * 1e-6,
	   t.lon + (hashint4((k * 100 + t.n * 10 + ascii(right(e, 1)) + 3)::int) % 40) * 1e-6,
	   'gcj02', 20, t.check_type, 'dingtalk',
	   'dt-' || e || '-' || to_char(d, 'YYYYMMDD') || '-' || t.n, e || '-phone'
  FROM unnest(ARRAY['S002', 'S003', 'S004']) e,
	   generate_series(timestamptz '2026-11-16 00:00+08', '2026-11-20 00:00+08', '1 day') WITH ORDINALITY AS days(d, k),
	   (VALUES (1, interval '08:50', 31.2392, 121.5048, 'on_duty'),
			   (2, interval '10:15', 31.1881, 121.4371, 'visit'),
			   (3, interval '17:55', 31.2389, 121.5047, 'off_duty')) AS t(n, at, lat, lon, check_type)
 ORDER BY d, e, t.at;

-- Li Na's phone reports a position 60 km away five minutes after the
-- office; Wang Qiang punches on Sunday night from a phone never seen before,
-- replaying the exact coordinates of an earlier punch
INSERT INTO hrguard.punch (employee_id, punched_at, raw_lat, raw_lon, raw_crs, device_id, source)
VALUES ('S002', '2026-11-18 08:55+08', 31.75, 121.10, 'gcj02', 'S002-phone', 'dingtalk');
INSERT INTO hrguard.punch (employee_id, punched_at, raw_lat, raw_lon, raw_crs, device_id, source)
SELECT 'S003', '2026-11-22 23:40+08', raw_lat, raw_lon, raw_crs, 'unknown-android', 'wecom'
  FROM hrguard.punch WHERE employee_id = 'S003' ORDER BY punched_at LIMIT 1;

UNLISTEN hrguard_alert;
