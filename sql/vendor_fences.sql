-- vendor_fences: a company's WeCom and DingTalk attendance rules as zones
-- and schedules (geofence reference (d) D6 and the DingTalk positions
-- query); importing again; punches against the imported fences; bad
-- payloads with their SQLSTATE; privileges.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET timezone = 'Asia/Shanghai';

INSERT INTO hrguard.employee (employee_id, tenant_id, wecom_userid) VALUES
	('VF-JAMES', 'vf', 'vf-james'), ('VF-SCHEDULED', 'vf', 'vf-scheduled');
INSERT INTO hrguard.schedule (tenant_id, name) VALUES ('vf', 'vf own hours');
UPDATE hrguard.employee SET schedule_id = (SELECT schedule_id FROM hrguard.schedule WHERE name = 'vf own hours')
 WHERE employee_id = 'VF-SCHEDULED';

-- D6: getcorpcheckinoption, the documented group, with members by user id
-- (one unknown) and a department
SELECT object, vendor_ref, object_id IS NOT NULL AS has_id, action, note
  FROM hrguard.import_wecom_checkin_option($j${"errcode":0,"errmsg":"ok","group":[{"grouptype":1,"groupid":69,"groupname":"打卡规则1",
 "checkindate":[{"workdays":[1,2,3,4,5],"checkintime":[{"work_sec":36000,"off_work_sec":43200,"remind_work_sec":35400,"remind_off_work_sec":43200},{"work_sec":50400,"off_work_sec":72000,"remind_work_sec":49800,"remind_off_work_sec":72000}],"noneed_offwork":true,"limit_aheadtime":10800000,"flex_on_duty_time":0,"flex_off_duty_time":0}],
 "spe_workdays":[{"timestamp":1512144000,"notes":"必须打卡的日期","checkintime":[{"work_sec":32400,"off_work_sec":61200,"remind_work_sec":31800,"remind_off_work_sec":61200}]}],
 "spe_offdays":[{"timestamp":1512057600,"notes":"不需要打卡的日期","checkintime":[]}],
 "sync_holidays":true,"need_photo":true,
 "wifimac_infos":[{"wifiname":"Tencent-WiFi-1","wifimac":"c0:7b:bc:37:f8:d3"},{"wifiname":"Tencent-WiFi-2","wifimac":"70:10:5c:7d:f6:d5"}],
 "loc_infos":[{"lat":30547030,"lng":104062890,"loc_title":"腾讯成都大厦","loc_detail":"四川省成都市武侯区高新南区天府三街","distance":300},{"lat":23097490,"lng":113323750,"loc_title":"T.I.T创意园","loc_detail":"广东省广州市海珠区新港中路397号","distance":300}],
 "range":{"partyid":[1],"userid":["vf-james","vf-scheduled","vf-ghost"],"tagid":[]}}]}$j$, 'vf');

-- the zones: circles entered in GCJ-02, kept as sent, with the Wi-Fi list
SELECT z.name, z.kind, z.radius_m, z.source_crs, ST_AsText(z.raw_center) AS raw_center,
	   round(ST_Y(z.center)::numeric, 5) AS wgs_lat, round(ST_X(z.center)::numeric, 5) AS wgs_lon,
	   z.address, z.bssids, z.vendor_ref
  FROM hrguard.zone z WHERE z.tenant_id = 'vf' ORDER BY z.vendor_ref;
-- the schedule: weekdays 1-5, two windows each; the employee without a
-- schedule got it, the other kept theirs
SELECT s.name, s.vendor_ref, w.isodow, w.starts_at, w.ends_at
  FROM hrguard.schedule s JOIN hrguard.schedule_window w USING (schedule_id)
 WHERE s.tenant_id = 'vf' ORDER BY w.isodow, w.starts_at;
SELECT e.employee_id, s.name AS schedule FROM hrguard.employee e LEFT JOIN hrguard.schedule s USING (schedule_id)
 WHERE e.tenant_id = 'vf' ORDER BY 1;
SELECT a.employee_id, z.name FROM hrguard.zone_assignment a JOIN hrguard.zone z USING (zone_id)
 WHERE z.tenant_id = 'vf' ORDER BY 1, 2;

-- punches sent by WeCom (GCJ-02) against the fences WeCom holds: at the
-- attendance point inside, 1 km away outside, on a Monday in the window
SELECT * FROM hrguard.ingest_wecom($j${"errcode":0,"checkindata":[
 {"userid":"vf-james","checkin_type":"上班打卡","checkin_time":1796005800,"lat":30547030,"lng":104062890,"groupid":69,"timeline_id":1,"wifimac":"c0:7b:bc:37:f8:d3"},
 {"userid":"vf-james","checkin_type":"下班打卡","checkin_time":1796010600,"lat":30556030,"lng":104062890,"groupid":69,"timeline_id":1}]}$j$);
SELECT to_char(p.punched_at, 'Dy HH24:MI') AS local_time, p.verdict, z.name AS zone, p.off_hours
  FROM hrguard.punch p LEFT JOIN hrguard.zone z USING (zone_id)
 WHERE p.employee_id = 'VF-JAMES' ORDER BY p.punched_at;

-- importing the same rules again changes nothing; a moved radius and a
-- changed window are updated in place, with the same ids
SELECT object, vendor_ref, action
  FROM hrguard.import_wecom_checkin_option($j${"errcode":0,"errmsg":"ok","group":[{"grouptype":1,"groupid":69,"groupname":"打卡规则1",
 "checkindate":[{"workdays":[1,2,3,4,5],"checkintime":[{"work_sec":36000,"off_work_sec":43200},{"work_sec":50400,"off_work_sec":72000}]}],
 "wifimac_infos":[{"wifiname":"Tencent-WiFi-1","wifimac":"c0:7b:bc:37:f8:d3"},{"wifiname":"Tencent-WiFi-2","wifimac":"70:10:5c:7d:f6:d5"}],
 "loc_infos":[{"lat":30547030,"lng":104062890,"loc_title":"腾讯成都大厦","loc_detail":"四川省成都市武侯区高新南区天府三街","distance":300},{"lat":23097490,"lng":113323750,"loc_title":"T.I.T创意园","loc_detail":"广东省广州市海珠区新港中路397号","distance":300}],
 "range":{"userid":["vf-james"]}}]}$j$, 'vf');
SELECT object, vendor_ref, action
  FROM hrguard.import_wecom_checkin_option($j${"errcode":0,"errmsg":"ok","group":[{"grouptype":1,"groupid":69,"groupname":"打卡规则1",
 "checkindate":[{"workdays":[1,2,3,4,5,6],"checkintime":[{"work_sec":32400,"off_work_sec":64800}]}],
 "loc_infos":[{"lat":30547030,"lng":104062890,"loc_title":"腾讯成都大厦","loc_detail":"四川省成都市武侯区高新南区天府三街","distance":500},{"lat":23097490,"lng":113323750,"loc_title":"T.I.T创意园","loc_detail":"广东省广州市海珠区新港中路397号","distance":300}]}]}$j$, 'vf');
SELECT count(*) AS zones, string_agg(radius_m::text || ' ' || coalesce(array_length(bssids, 1), 0), ', ' ORDER BY vendor_ref) AS radius_bssids
  FROM hrguard.zone WHERE tenant_id = 'vf';
SELECT count(*) AS windows, min(starts_at), max(ends_at), max(isodow)
  FROM hrguard.schedule_window w JOIN hrguard.schedule s USING (schedule_id) WHERE s.tenant_id = 'vf';

-- an overnight shift (off_work_sec past midnight) and Sunday as 0
SELECT object, action FROM hrguard.import_wecom_checkin_option($j${"errcode":0,"group":[{"groupid":70,"groupname":"夜班",
 "checkindate":[{"workdays":[0,6],"checkintime":[{"work_sec":79200,"off_work_sec":108000}]}]}]}$j$, 'vf');
SELECT w.isodow, w.starts_at, w.ends_at FROM hrguard.schedule_window w JOIN hrguard.schedule s USING (schedule_id)
 WHERE s.vendor_ref = 'wecom:group:70' ORDER BY 1;

-- what the hostile test found: another tenant's employee is skipped, not
-- changed; a number written otherwise is the same point; a renamed group
-- renames its schedule; a whole day from midnight is a window to 24:00
INSERT INTO hrguard.employee (employee_id, tenant_id, wecom_userid) VALUES ('VF-OTHER', 'vf-other', 'vf-other-user');
SELECT object, vendor_ref, action, note FROM hrguard.import_wecom_checkin_option($j${"errcode":0,"group":[{"groupid":72,"groupname":"g72",
 "checkindate":[{"workdays":[1],"checkintime":[{"work_sec":0,"off_work_sec":86400}]}],
 "loc_infos":[{"lat":30547030,"lng":104062890,"distance":200}],
 "range":{"userid":["vf-other-user"]}}]}$j$, 'vf');
SELECT e.employee_id, e.schedule_id IS NULL AS no_schedule,
	   (SELECT count(*) FROM hrguard.zone_assignment a WHERE a.employee_id = e.employee_id) AS assignments
  FROM hrguard.employee e WHERE e.employee_id = 'VF-OTHER';
SELECT object, vendor_ref, action FROM hrguard.import_wecom_checkin_option($j${"errcode":0,"group":[{"groupid":72.0,"groupname":"g72 renamed",
 "checkindate":[{"workdays":[1],"checkintime":[{"work_sec":0,"off_work_sec":86400}]}],
 "loc_infos":[{"lat":30547030.0,"lng":"104062890","distance":200}]}]}$j$, 'vf');
SELECT s.name, w.isodow, w.starts_at, w.ends_at FROM hrguard.schedule s JOIN hrguard.schedule_window w USING (schedule_id)
 WHERE s.vendor_ref = 'wecom:group:72';
SELECT count(*) AS zones_of_group_72 FROM hrguard.zone WHERE vendor_ref LIKE 'wecom:group:72:%';
INSERT INTO hrguard.schedule (tenant_id, name) VALUES ('vf', 'WeCom 73: taken');

-- DingTalk: attendance/group/positions/query; string coordinates, offset
-- in metres; both wrappings of the result; again: unchanged
SELECT object, vendor_ref, action FROM hrguard.import_dingtalk_positions($j${"errcode":0,"errmsg":"ok","success":true,
 "result":{"has_more":false,"position_list":[
  {"address":"阿里巴巴西溪园区","latitude":"30.279483","longitude":"120.026024","position_key":"0151E0223B1EDDDF00DD6B7F72A1A917E876","offset":100},
  {"address":"","latitude":30.285413,"longitude":120.017139,"offset":"200"}]}}$j$, 'vf-group-1', 'vf');
SELECT object, vendor_ref, action FROM hrguard.import_dingtalk_positions($j${"result":{"result":{"has_more":false,"position_list":[
  {"address":"阿里巴巴西溪园区","latitude":"30.279483","longitude":"120.026024","position_key":"0151E0223B1EDDDF00DD6B7F72A1A917E876","offset":100}]},
  "errcode":0,"success":true}}$j$, 'vf-group-1', 'vf');
SELECT name, radius_m, source_crs, ST_AsText(raw_center) AS raw_center, address
  FROM hrguard.zone WHERE vendor_ref LIKE 'dingtalk:group:vf-group-1:%' ORDER BY vendor_ref;

-- bad payloads: an error with its SQLSTATE, and nothing imported
CREATE FUNCTION pg_temp.refusal(statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	message text;
BEGIN
	EXECUTE statement;
	RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS message = MESSAGE_TEXT;
	RETURN SQLSTATE || ' ' || message;
END $$;
SELECT (SELECT count(*) FROM hrguard.zone WHERE tenant_id = 'vf') AS zones,
	   (SELECT count(*) FROM hrguard.schedule_window JOIN hrguard.schedule USING (schedule_id) WHERE tenant_id = 'vf') AS windows;
SELECT pg_temp.refusal(s) AS refusal FROM unnest(ARRAY[
	$$SELECT hrguard.import_wecom_checkin_option('not json', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('[]', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 301023, "errmsg": "no privilege"}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": "0", "group": []}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": {}}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": [1]}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": [{"groupid": "sixty-nine"}]}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": [{"groupid": 71, "checkindate": [{"workdays": [8], "checkintime": [{"work_sec": 0, "off_work_sec": 60}]}]}]}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": [{"groupid": 71, "checkindate": [{"workdays": [1], "checkintime": [{"work_sec": 3600, "off_work_sec": 3600}]}]}]}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": [{"groupid": 71, "checkindate": [{"workdays": [1], "checkintime": [{"work_sec": -1, "off_work_sec": 60}]}]}]}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": [{"groupid": 71, "loc_infos": [{"lat": 95000000, "lng": 104062890, "distance": 300}]}]}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": [{"groupid": 71, "loc_infos": [{"lat": 30547030, "lng": 104062890, "distance": 0}]}]}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": [{"groupid": 71, "loc_infos": [{"lat": 30547030, "lng": 104062890, "distance": 1e-300}]}]}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": [{"groupid": 71, "loc_infos": [{"lat": 30547030, "lng": 104062890, "distance": 1e-400}]}]}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": [{"groupid": 71, "loc_infos": [{"lat": 30547030, "lng": 104062890, "distance": 1e400}]}]}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": [{"groupid": 71, "loc_infos": [{"lat": 30547030, "lng": 104062890, "distance": 50000.0000001}]}]}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": [{"groupid": 71, "loc_infos": [{"lat": 30547030, "lng": 104062890}]}]}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": [{"groupid": 71, "loc_infos": [{"lat": 30547030, "lng": 104062890, "distance": 100000}]}]}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": [{"groupid": 71, "wifimac_infos": [{"wifimac": "not a mac"}], "loc_infos": [{"lat": 30547030, "lng": 104062890, "distance": 100}]}]}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": []}', NULL)$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": [{"groupid": 73, "groupname": "taken", "checkindate": [{"workdays": [1], "checkintime": [{"work_sec": 0, "off_work_sec": 60}]}]}]}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": [{"groupid": 74, "checkindate": [{"workdays": [1], "checkintime": [{"work_sec": 32400, "off_work_sec": 43200}, {"work_sec": 32400, "off_work_sec": 50400}]}]}]}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": [{"groupid": 74, "checkindate": [{"workdays": 1, "checkintime": []}]}]}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": [{"groupid": 74, "checkindate": [{"workdays": [1], "checkintime": {"work_sec": 0}}]}]}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": [{"groupid": 74, "checkindate": [{"workdays": [1], "checkintime": [{"work_sec": 3600.5, "off_work_sec": 7200}]}]}]}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": [{"groupid": 74, "checkindate": [{"workdays": [1], "checkintime": [{"work_sec": 32400, "off_work_sec": 118800}]}]}]}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": [{"groupid": 1.5}]}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": [{"groupid": -1}]}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": [{"groupid": 75, "loc_infos": [{"lat": 0, "lng": 0, "distance": 100}]}]}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option('{"errcode": 0, "group": [{"groupid": 75, "loc_infos": [{"lat": 30.54703, "lng": 104.06289, "distance": 100}]}]}', 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option(format('{"errcode": 0, "group": [{"groupid": 75, "groupname": "%s"}]}', repeat('x', 2000)), 'vf')$$,
	$$SELECT hrguard.import_wecom_checkin_option(NULL, 'vf')$$,
	$$SELECT hrguard.import_dingtalk_positions('{"errcode": 0, "result": {"position_list": [{"latitude": "north", "longitude": "120", "offset": 100}]}}', 'g', 'vf')$$,
	$$SELECT hrguard.import_dingtalk_positions('{"errcode": 0, "result": {"position_list": [{"latitude": "1e308", "longitude": "120", "offset": 100}]}}', 'g', 'vf')$$,
	$$SELECT hrguard.import_dingtalk_positions('{"errcode": 0, "result": {"position_list": [{"latitude": "-0", "longitude": "0", "offset": 100}]}}', 'g', 'vf')$$,
	$$SELECT hrguard.import_dingtalk_positions('{"errcode": 0, "result": {}}', 'g', 'vf')$$,
	$$SELECT hrguard.import_dingtalk_positions('{"errcode": 88, "errmsg": "busy"}', 'g', 'vf')$$,
	$$SELECT hrguard.import_dingtalk_positions('{"errcode": 0, "result": {"position_list": []}}', NULL, 'vf')$$
]) s;
SELECT (SELECT count(*) FROM hrguard.zone WHERE tenant_id = 'vf') AS zones,
	   (SELECT count(*) FROM hrguard.schedule_window JOIN hrguard.schedule USING (schedule_id) WHERE tenant_id = 'vf') AS windows;

-- importing runs as its caller: without INSERT on hrguard.zone, 42501
CREATE ROLE vf_admin;
GRANT USAGE ON SCHEMA hrguard TO vf_admin;
GRANT EXECUTE ON FUNCTION hrguard.import_dingtalk_positions(text, text, text) TO vf_admin;
SET ROLE vf_admin;
SELECT pg_temp.refusal($$SELECT hrguard.import_dingtalk_positions('{"errcode": 0, "result": {"position_list": [{"latitude": "30.1", "longitude": "120.1", "offset": 100, "position_key": "k2"}]}}', 'vf-group-2', 'vf')$$) AS refusal;
RESET ROLE;
REVOKE ALL ON FUNCTION hrguard.import_dingtalk_positions(text, text, text) FROM vf_admin;
REVOKE ALL ON SCHEMA hrguard FROM vf_admin;
DROP ROLE vf_admin;
