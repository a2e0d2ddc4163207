-- setup.sql -- benchmark data: :zones square zones of about 200 m over a
-- Shanghai-sized box (5 % competitor, a third client sites open 09:00-18:00,
-- the rest offices), :employees employees, :punches punches (60 % near a
-- zone, 40 % anywhere in the box), loaded the same way into hrguard and into
-- the reference.
SET client_min_messages = warning;
CREATE EXTENSION hrguard CASCADE;
\i reference.sql

CREATE SCHEMA bench;
CREATE TABLE bench.zone AS
SELECT g AS zone_id,
	   CASE WHEN g % 20 = 0 THEN 'competitor' WHEN g % 3 = 0 THEN 'client' ELSE 'office' END AS kind,
	   121.2 + (hashint4(g) & 65535) / 65535.0 * 0.6 AS cx,
	   31.0 + (hashint4(g + 7919) & 65535) / 65535.0 * 0.4 AS cy
  FROM generate_series(1, :zones) g;
CREATE TABLE bench.punch AS
SELECT g, 'E' || (1 + g % :employees) AS employee_id,
	   timestamptz '2026-03-02 08:00+08' + g * interval '37 seconds' AS punched_at,
	   CASE WHEN g % 10 < 6 THEN z.cy + ((hashint4(g) & 255) / 255.0 - 0.5) * 0.0015
			ELSE 31.0 + (hashint4(g + 1) & 65535) / 65535.0 * 0.4 END AS lat,
	   CASE WHEN g % 10 < 6 THEN z.cx + ((hashint4(g + 2) & 255) / 255.0 - 0.5) * 0.0015
			ELSE 121.2 + (hashint4(g + 3) & 65535) / 65535.0 * 0.6 END AS lon,
	   'dev-' || (g % :employees) AS device_id
  FROM generate_series(1, :punches) g
  JOIN bench.zone z ON z.zone_id = 1 + (g % :zones);
CREATE UNIQUE INDEX ON bench.punch (g);
ANALYZE bench.punch;

-- the reference's zones
INSERT INTO ref.zone
SELECT zone_id, kind, ST_MakeEnvelope(cx - 0.001, cy - 0.001, cx + 0.001, cy + 0.001, 4326),
	   CASE WHEN kind = 'client' THEN time '09:00' END, CASE WHEN kind = 'client' THEN time '18:00' END
  FROM bench.zone;

-- the same in hrguard: employees working around the clock (the reference
-- has no working hours), client sites open 09:00-18:00 every day, every
-- office and client zone allowed to everyone
INSERT INTO hrguard.schedule (name, timezone) VALUES ('always', 'Asia/Shanghai'), ('client hours', 'Asia/Shanghai');
INSERT INTO hrguard.schedule_window (schedule_id, isodow, starts_at, ends_at)
SELECT s.schedule_id, d, CASE WHEN s.name = 'always' THEN time '00:00' ELSE time '09:00' END,
	   CASE WHEN s.name = 'always' THEN time '24:00' ELSE time '18:00' END
  FROM hrguard.schedule s, generate_series(1, 7) d;
INSERT INTO hrguard.employee (employee_id, schedule_id)
SELECT 'E' || g, (SELECT schedule_id FROM hrguard.schedule WHERE name = 'always')
  FROM generate_series(1, :employees) g;
INSERT INTO hrguard.zone (name, kind, geom, schedule_id)
SELECT 'z' || zone_id, kind,
	   ST_Multi(ST_MakeEnvelope(cx - 0.001, cy - 0.001, cx + 0.001, cy + 0.001, 4326)),
	   CASE WHEN kind = 'client' THEN (SELECT schedule_id FROM hrguard.schedule WHERE name = 'client hours') END
  FROM bench.zone ORDER BY zone_id;
INSERT INTO hrguard.zone_assignment (zone_id)
SELECT zone_id FROM hrguard.zone WHERE kind <> 'competitor';

-- plain INSERT of the same rows: hrguard's punch table without triggers,
-- and with one evidence row each (hashed with SQL's sha256)
CREATE TABLE bench.plain (LIKE hrguard.punch INCLUDING ALL);
CREATE TABLE bench.plain_ev (LIKE hrguard.punch INCLUDING ALL);
CREATE TABLE bench.evidence (LIKE hrguard.evidence INCLUDING ALL);
CREATE SEQUENCE bench.evidence_seq;
ANALYZE;
