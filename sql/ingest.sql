-- ingest: DingTalk and WeCom payloads as punches.  The vendors' documented
-- sample payloads (geofence reference, (d) D1-D6), variants built from the
-- documented types (marked "variant"), invalid records, idempotence,
-- malformed payloads with their SQLSTATE, privileges, and an exception
-- block around an ingestion.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hrguard CASCADE;
SET timezone = 'Asia/Shanghai';

INSERT INTO hrguard.employee (employee_id, tenant_id, dingtalk_userid, wecom_userid) VALUES
	('IG-D1', 'ig', 'manager7078', NULL),
	('IG-D2', 'ig', 'manager4220', NULL),
	('IG-D3', 'ig', 'manager3451', NULL),
	('IG-EV', 'ig', 'ig-event-user', NULL),
	('IG-W1', 'ig', NULL, 'james'),
	('IG-W2', 'ig', NULL, 'paul');

-- the punch columns ingestion fills, and the WGS-84 position checked
-- against the vendor's GCJ-02 one: forward-converted, it lands within 1 m
CREATE FUNCTION pg_temp.ingested(src text)
	RETURNS TABLE (employee_id text, punched_at text, raw_lat float8, raw_lon float8,
				   raw_crs text, wgs_within_1m boolean, accuracy_m float8, check_type text,
				   source_record_id text, device_id text, wifi_bssid text, address text,
				   verdict text)
	LANGUAGE sql AS $$
SELECT p.employee_id, to_char(p.punched_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'),
	   p.raw_lat, p.raw_lon, p.raw_crs,
	   (SELECT hrguard.geodesic_distance(g.lat, g.lon, p.raw_lat, p.raw_lon) < 1
		  FROM hrguard.wgs84_to_gcj02(p.lat, p.lon) g),
	   p.accuracy_m, p.check_type, p.source_record_id, p.device_id, p.wifi_bssid, p.address,
	   p.verdict
  FROM hrguard.punch p
 WHERE p.source = src AND p.employee_id LIKE 'IG%'
 ORDER BY p.punch_id
$$;

-- D1: attendance/listRecord, the documented example
SELECT * FROM hrguard.ingest_dingtalk($j${
  "errcode": 0,
  "errmsg": "ok",
  "recordresult": [
    {
      "gmtModified": 1492594486000,
      "isLegal": "N",
      "baseCheckTime": 1492568460000,
      "id": 933202551,
      "userAddress": "北京市朝阳区崔各庄镇阿里中心.望京A座阿里巴巴绿地中心",
      "userId": "manager7078",
      "checkType": "OnDuty",
      "timeResult": "Normal",
      "deviceId": "cb7ace07d52fe9be14f4d8bec5e1ba79",
      "corpId": "ding7536bfee6fb1fa5a35c2f4657eb6378f",
      "sourceType": "USER",
      "workDate": 1492531200000,
      "planCheckTime": 1492568497000,
      "gmtCreate": 1492594486000,
      "locationMethod": "MAP",
      "locationResult": "Outside",
      "userLongitude": 116.486888,
      "planId": 4550269081,
      "groupId": 121325603,
      "userAccuracy": 65,
      "userCheckTime": 1492568497000,
      "userLatitude": 39.999946,
      "procInstId": "cb992267-9b70"
    }
  ]
}$j$);

-- D2: the newer example, a punch with an outside remark and an invalid
-- record (invalidRecordType, no checkType): both are punches, the second
-- of check_type other with the vendor's finding in vendor_flags
SELECT * FROM hrguard.ingest_dingtalk($j${
  "errcode": 0,
  "errmsg": "ok",
  "recordresult": [
    {
      "gmtModified": 1599454972000, "baseCheckTime": 1599442200000, "groupId": 685935028,
      "timeResult": "Normal", "deviceId": "67da0fxxxx", "approveId": 2376620852,
      "userAccuracy": 65, "classId": 677995086, "workDate": 1599408000000,
      "bizId": "E171DCCExxxx", "planId": 144872188720, "id": 43047156750,
      "checkType": "OnDuty", "planCheckTime": 1599442200000, "corpId": "dinge8axxxx5384",
      "locationResult": "Outside", "userLongitude": 120.017139, "isLegal": "N",
      "procInstId": "59f77e82-xxxx", "gmtCreate": 1599441505000, "userId": "manager4220",
      "outsideRemark": "拜访客户", "userAddress": "浙江省杭州市", "userLatitude": 30.285413,
      "sourceType": "USER", "userCheckTime": 1599441505000, "locationMethod": "MAP"
    },
    {
      "gmtModified": 1599450909000, "deviceId": "67da0fxxxx", "userAccuracy": 65,
      "workDate": 1599408000000, "bizId": "E171DCCExxxx", "id": 43055377426,
      "invalidRecordType": "Other", "corpId": "dinge8axxxx5384", "userLongitude": 120.017019,
      "gmtCreate": 1599450909000, "invalidRecordMsg": "需要二次确认", "userId": "manager4220",
      "userAddress": "浙江省杭州市", "userLatitude": 30.285622, "sourceType": "USER",
      "userCheckTime": 1599450909000, "locationMethod": "MAP"
    }
  ]
}$j$);

-- D3: attendance/list results of a NotSigned day: missed punches, kept as such
SELECT * FROM hrguard.ingest_dingtalk($j${
  "errcode": 0, "hasMore": false, "errmsg": "ok",
  "recordresult": [
    {"checkType": "OnDuty", "corpId": "dingc5f4301f00bdafc3acaaa37764f94726",
     "locationResult": "NotSigned", "baseCheckTime": 1666227600000, "groupId": 1010275569,
     "timeResult": "NotSigned", "userId": "manager3451", "workDate": 1666195200000,
     "sourceType": "SYSTEM", "userCheckTime": 1666227600000, "planId": 437360727696,
     "id": 260694657296},
    {"checkType": "OffDuty", "corpId": "dingc5f4301f00bdafc3acaaa37764f94726",
     "locationResult": "NotSigned", "baseCheckTime": 1666260000000, "groupId": 1010275569,
     "timeResult": "NotSigned", "userId": "manager3451", "workDate": 1666195200000,
     "sourceType": "SYSTEM", "userCheckTime": 1666260000000, "planId": 437360727697,
     "id": 260815376208}
  ]
}$j$);

-- D4: the attendance_check_record push event, a phone and (variant) a machine punch
SELECT * FROM hrguard.ingest_dingtalk($j${"EventType":"attendance_check_record","DataList":[
  {"address":"<定位地址>","checkTime":1611758364000,"corpId":"<corpId>","groupId":"<groupId>",
   "latitude":37.88690402560764,"bizId":"96F80A3482ED39EF5A9B20EEC2717C75","locationMethod":"MAP",
   "checkByUser":true,"userId":"ig-event-user","longitude":116.54321994357639},
  {"address":"测试门禁_80692","baseMacAddr":"xx:xx:xx:xx:xx:xx","checkTime":1611793083000,
   "corpId":"<corpId>","locationMethod":"ATM","checkByUser":true,"deviceName":"测试门禁_80692",
   "deviceSN":"SN-80692","userId":"ig-event-user"}]}$j$);

-- variants (D7): coordinates and accuracy as strings, an older and an
-- unknown sourceType, a machine punch with no position, a manager's
-- correction, a Wi-Fi BSSID in capitals, an id beyond 2^53
SELECT * FROM hrguard.ingest_dingtalk($j${"errcode": 0, "errmsg": "ok", "recordresult": [
  {"id": 43047156751, "userId": "manager4220", "checkType": "OffDuty",
   "userCheckTime": 1599472800123, "userLatitude": "30.285413", "userLongitude": "120.017139",
   "userAccuracy": "65", "sourceType": "APP_USER", "userMacAddr": "3C:46:D8:0C:7A:70"},
  {"id": 43047156752, "userId": "manager4220", "checkType": "OnDuty",
   "userCheckTime": 1599528600000, "sourceType": "HOLOGRAM", "locationMethod": "ATM",
   "deviceSN": "ATM-0042"},
  {"id": 43047156753, "userId": "manager4220", "checkType": "OffDuty",
   "userCheckTime": 1599559200000, "sourceType": "BOSS", "timeResult": "Early",
   "locationResult": "Normal", "userLatitude": 30.285413, "userLongitude": 120.017139},
  {"id": 9007199254740993, "userId": "manager4220", "checkType": "OnDuty",
   "userCheckTime": 1599615000000, "userLatitude": 30.285413, "userLongitude": 120.017139},
  {"id": "9223372036854775807", "userId": "manager4220", "checkType": "OffDuty",
   "userCheckTime": 1599645600000}
]}$j$);

SELECT * FROM pg_temp.ingested('dingtalk');
SELECT source_record_id, vendor_flags FROM hrguard.punch
 WHERE source = 'dingtalk' AND employee_id LIKE 'IG%' ORDER BY punch_id;

-- D5: checkin/getcheckindata, the documented example; then (variants) a
-- missed punch at 0,0, a punch with no position (0,0 without 未打卡),
-- coordinates as strings, findings split on ';' and '；', an unknown
-- checkin_type
SELECT * FROM hrguard.ingest_wecom($j${
  "errcode": 0,
  "errmsg": "ok",
  "checkindata": [
    {
      "userid": "james",
      "groupname": "打卡一组",
      "checkin_type": "上班打卡",
      "exception_type": "地点异常",
      "checkin_time": 1492617610,
      "location_title": "依澜府",
      "location_detail": "四川省成都市武侯区益州大道中段784号附近",
      "wifiname": "办公一区",
      "notes": "路上堵车，迟到了5分钟",
      "wifimac": "3c:46:d8:0c:7a:70",
      "mediaids": ["WWCISP_G8PYgRaOVHjXWUWFqchpBqqqUpGj0OyR9z6WTwhnMZGCPHxyviVstiv_2fTG8YOJq8L8zJT2T2OvTebANV-2MQ"],
      "sch_checkin_time": 1492617610,
      "groupid": 1,
      "schedule_id": 0,
      "timeline_id": 2
    },
    {
      "userid": "paul",
      "groupname": "打卡二组",
      "checkin_type": "外出打卡",
      "exception_type": "时间异常",
      "checkin_time": 1492617620,
      "location_title": "重庆出口加工区",
      "location_detail": "重庆市渝北区金渝大道101号金渝大道",
      "wifiname": "办公室二区",
      "notes": "",
      "wifimac": "3c:46:d8:0c:7a:71",
      "mediaids": ["WWCISP_G8PYgRaOVHjXWUWFqchpBqqqUpGj0OyR9z6WTwhnMZGCPHxyviVstiv_2fTG8YOJq8L8zJT2T2OvTebANV-2MQ"],
      "lat": 30547645,
      "lng": 104063236,
      "deviceid": "E5FA89F6-3926-4972-BE4F-4A7ACF4701E2",
      "sch_checkin_time": 1492617610,
      "groupid": 2,
      "schedule_id": 3,
      "timeline_id": 1
    }
  ]
}$j$);
SELECT * FROM hrguard.ingest_wecom($j${"errcode": 0, "errmsg": "ok", "checkindata": [
  {"userid": "paul", "checkin_type": "下班打卡", "exception_type": "未打卡", "checkin_time": 1492650000,
   "lat": 0, "lng": 0, "location_title": "", "groupid": 2, "timeline_id": 1},
  {"userid": "paul", "checkin_type": "下班打卡", "exception_type": "", "checkin_time": 1492652000,
   "lat": 0, "lng": 0, "groupid": 2, "timeline_id": 1},
  {"userid": "paul", "checkin_type": "上班打卡", "exception_type": "地点异常;非常用设备",
   "checkin_time": 1492700000, "lat": "29583816", "lng": "106490141", "groupid": 2,
   "timeline_id": 1, "wifiname": "未连接到公司指定WiFi", "wifimac": ""},
  {"userid": "paul", "checkin_type": "下班打卡", "exception_type": "时间异常 ； wifi异常；",
   "checkin_time": 1492730000, "lat": 29583816, "lng": 106490141, "groupid": 2, "timeline_id": 1},
  {"userid": "paul", "checkin_type": "夜间打卡", "exception_type": "", "checkin_time": 1492740000,
   "groupid": 2, "timeline_id": 3}
]}$j$);

SELECT * FROM pg_temp.ingested('wecom');
SELECT source_record_id, vendor_flags->'exceptions' AS exceptions, vendor_flags->>'checkin_type' AS checkin_type
  FROM hrguard.punch WHERE source = 'wecom' AND employee_id LIKE 'IG%' ORDER BY punch_id;

-- records that cannot be punches: each rejected with its reason, the
-- others of the payload ingested
SELECT * FROM hrguard.ingest_dingtalk($j${"errcode": 0, "recordresult": [
  {"id": 7001, "userId": "manager4220", "checkType": "OnDuty"},
  {"id": 7002, "userId": "manager4220", "userCheckTime": 1599615000000, "userLatitude": 30.2},
  {"id": 7003, "userId": "manager4220", "userCheckTime": 1599615000000, "userLatitude": "north", "userLongitude": 120},
  {"id": 7004, "userId": "manager4220", "userCheckTime": 10413792000000},
  {"id": 7005, "userId": "manager4220", "userCheckTime": 4102444800000},
  {"id": 7006, "userId": "manager4220", "userCheckTime": 1599615000000, "userAccuracy": -5},
  {"id": 7007, "userId": "manager4220", "userCheckTime": 1599615000000, "userLatitude": 95, "userLongitude": 120},
  {"id": 99999999999999999999, "userId": "manager4220", "userCheckTime": 1599615000000},
  {"id": 7009, "id": 7010, "userId": "manager4220", "userCheckTime": 1599615000000},
  "a string",
  {"id": 7011, "userCheckTime": 1599615000000},
  {"id": 7012, "userId": "someone-else", "userCheckTime": 1599615000000},
  {"id": 7013, "userId": "manager4220", "userCheckTime": 1599615000.5},
  {"id": 7014, "userId": "manager4220", "userCheckTime": 1599615000000, "userAddress": 42.5},
  {"userId": "manager4220", "userCheckTime": 1599615000000},
  {"id": 7015, "userId": "manager4220", "checkType": "OnDuty", "userCheckTime": 1599615000000}
]}$j$);
SELECT * FROM hrguard.ingest_wecom($j${"errcode": 0, "checkindata": [
  {"userid": "paul", "checkin_type": "上班打卡", "checkin_time": 1492800000, "lat": 30547645},
  {"userid": "paul", "checkin_type": "上班打卡", "checkin_time": 1492800000, "lat": 30.547645, "lng": 104.063236},
  {"userid": "paul", "checkin_type": "上班打卡", "checkin_time": "soon"},
  {"userid": "paul", "checkin_type": "上班打卡", "checkin_time": 1492800000, "exception_type": ["地点异常"]},
  {"userid": "nobody", "checkin_type": "上班打卡", "checkin_time": 1492800000}
]}$j$);
-- values of the wrong type, JSON hrguard does not take (a NUL character,
-- a lone surrogate), numbers written otherwise than JSON writes them, a
-- key over a punch column's bound, a key twice, an integer beyond 64 bits:
-- those records rejected, the good ones of each payload ingested (one with
-- objects, arrays, nulls and numbers no double holds among the vendor's
-- fields, kept exactly as jsonb keeps them)
SELECT * FROM hrguard.ingest_dingtalk($j${"errcode": 0, "recordresult": [
  {"id": 7110, "id": 7111, "userId": "manager4220", "userCheckTime": 1599615000000},
  {"id": 7113, "userId": "manager4220", "userCheckTime": 1599615000000, "groupId": 18446744073709551616},
  {"id": 7112, "userId": "manager4220", "userCheckTime": 1599616000000, "planId": 2.50, "approveId": null,
   "baseLatitude": 31.234567890123456, "baseAccuracy": 0.30000000000000004, "classId": 12345678901234567.5,
   "baseAddress": {"bb": [1, "x", null, true, 1.5e0, {"k": "v", "j": []}], "a": {"z": 1, "y": 2}}},
  {"id": 7101, "userId": "manager4220", "userCheckTime": 1599615000000, "userMacAddr": true},
  {"id": 7102, "userId": "manager4220", "userCheckTime": 1599615000000, "checkType": 5},
  {"id": 7109, "userId": "manager4220", "userCheckTime": 1599615000000, "isLegal": true},
  {"id": 7103, "userId": "manager4220", "userCheckTime": 1599615000000, "userAddress": "a\u0000b"},
  {"id": 7104, "userId": "manager4220", "userCheckTime": 1599615000000, "userAddress": "\ud800"},
  {"id": 7105, "userId": "manager4220", "userCheckTime": 1599615000000, "userLatitude": "0x1p3", "userLongitude": "120"},
  {"id": 7106, "userId": "manager4220", "userCheckTime": 1599615000000, "userLatitude": " 30.2", "userLongitude": "120"},
  {"id": 7107, "userId": "manager4220", "userCheckTime": 1599615000000, "userLatitude": "3e-400", "userLongitude": "120"},
  {"id": 7108, "userId": "manager4220", "checkType": "OffDuty", "userCheckTime": 1599645000000, "userLatitude": "30.2e0", "userLongitude": "120.1"}
]}$j$);
SELECT * FROM hrguard.ingest_wecom(format($j${"errcode": 0, "checkindata": [
  {"userid": "paul", "checkin_type": 1, "checkin_time": 1492900000, "groupid": 1, "timeline_id": 1},
  {"userid": "paul", "checkin_type": 2, "checkin_time": 1492900000, "groupid": 1, "timeline_id": 1},
  {"userid": "paul", "checkin_type": "%s", "checkin_time": 1492900000},
  {"userid": "paul", "checkin_type": "上班打卡", "checkin_time": 1492900000, "wifimac": ["3c:46:d8:0c:7a:70"]},
  {"userid": "paul", "checkin_type": "上班打卡", "checkin_time": 1492900000, "groupid": 1, "timeline_id": 1, "wifimac": "未连接"}
]}$j$, repeat('班', 500)));
SELECT source, vendor_userid, source_record_id, reason, detail, left(raw_record, 120) AS raw_record
  FROM hrguard.ingest_reject ORDER BY reject_id;
SELECT source_record_id, raw_lat, raw_lon, wifi_bssid, vendor_flags->>'wifimac' AS wifimac
  FROM hrguard.punch WHERE source_record_id IN ('7108', '["paul",1492900000,"上班打卡",1,1]');
SELECT vendor_flags, vendor_flags - 'vendor' = '{"planId": 2.50, "approveId": null, "baseLatitude": 31.234567890123456,
	"baseAccuracy": 0.30000000000000004, "classId": 12345678901234567.5,
	"baseAddress": {"bb": [1, "x", null, true, 1.5e0, {"k": "v", "j": []}], "a": {"z": 1, "y": 2}}}'::jsonb AS same
  FROM hrguard.punch WHERE source = 'dingtalk' AND source_record_id = '7112';

-- a payload of two batches (10,500 records, two employees interleaved,
-- every seventh from a user nobody has): all stored once, each employee's
-- punches in time order; again: all duplicates
CREATE TEMP TABLE ig_big AS
SELECT json_build_object('errcode', 0, 'recordresult', json_agg(json_build_object(
		'id', 880000 + g,
		'userId', CASE WHEN g % 7 = 0 THEN 'ig-stranger' WHEN g % 2 = 0 THEN 'manager7078' ELSE 'manager4220' END,
		'checkType', 'OnDuty', 'userCheckTime', 1580000000000 + (10500 - g) * 60000,
		'userLatitude', 30.2, 'userLongitude', 120.1) ORDER BY g))::text AS payload
  FROM generate_series(1, 10500) g;
SELECT * FROM hrguard.ingest_dingtalk((SELECT payload FROM ig_big));
SELECT p.employee_id, count(*) AS punches,
	   bool_and(p.punch_id > coalesce(prev, 0)) AS in_time_order
  FROM (SELECT employee_id, punch_id, lag(punch_id) OVER (PARTITION BY employee_id ORDER BY punched_at) AS prev
		  FROM hrguard.punch WHERE source = 'dingtalk' AND source_record_id ~ '^8[89][0-9]{4}$') p
 GROUP BY p.employee_id ORDER BY 1;
SELECT * FROM hrguard.ingest_dingtalk((SELECT payload FROM ig_big));
SELECT count(*) AS stranger_rejects FROM hrguard.ingest_reject WHERE vendor_userid = 'ig-stranger';

-- the same payloads again: nothing new, neither punches nor rejects
SELECT count(*) AS punches FROM hrguard.punch WHERE employee_id LIKE 'IG%';
SELECT count(*) AS rejects FROM hrguard.ingest_reject;
SELECT * FROM hrguard.ingest_dingtalk($j${"errcode": 0, "recordresult": [
  {"id": 7001, "userId": "manager4220", "checkType": "OnDuty"},
  {"id": 7015, "userId": "manager4220", "checkType": "OnDuty", "userCheckTime": 1599615000000},
  {"id": 7015, "userId": "manager4220", "checkType": "OnDuty", "userCheckTime": 1599615000000},
  {"id": 933202551, "userId": "manager7078", "userCheckTime": 1492568497000}
]}$j$);
SELECT * FROM hrguard.ingest_wecom($j${"errcode": 0, "checkindata": [
  {"userid": "james", "groupname": "打卡一组", "checkin_type": "上班打卡", "exception_type": "地点异常",
   "checkin_time": 1492617610, "groupid": 1, "schedule_id": 0, "timeline_id": 2},
  {"userid": "nobody", "checkin_type": "上班打卡", "checkin_time": 1492800000}
]}$j$);
SELECT * FROM hrguard.ingest_dingtalk($j${"EventType":"attendance_check_record","DataList":[
  {"checkTime":1611758364000,"latitude":37.88690402560764,"longitude":116.54321994357639,"userId":"ig-event-user"}]}$j$);
SELECT count(*) AS punches FROM hrguard.punch WHERE employee_id LIKE 'IG%';
SELECT count(*) AS rejects FROM hrguard.ingest_reject;

-- payloads that are not attendance records: an error naming why, with
-- its SQLSTATE, and nothing stored
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
SELECT pg_temp.refusal(format('SELECT hrguard.%s(%L)', fn, payload)) AS refusal
  FROM (VALUES
	('ingest_dingtalk', ''),
	('ingest_dingtalk', 'junk'),
	('ingest_dingtalk', '[{"id": 1}]'),
	('ingest_dingtalk', '"recordresult"'),
	('ingest_dingtalk', '{"errcode": 0, "recordresult": [{"id": 1, "userId": "manager4220", "userCheckTime": 1599615000000}'),
	('ingest_dingtalk', '{"errcode": 0, "recordresult": [{"id": 1, "userId": "manager4220", "userCheckTime": 1599615000000}]} trailing'),
	('ingest_dingtalk', '{"errcode": 0, "recordresult": [{"id": 1, "userId": "manager4220" "userCheckTime": 1}]}'),
	('ingest_dingtalk', '{"errcode": 0, "recordresult": [{"id": 1}, ]}'),
	('ingest_dingtalk', '{"errcode": 0, "recordresult": [{"id": 1}'),
	('ingest_dingtalk', '{"errcode": 0, "recordresult": {"id": 1}}'),
	('ingest_dingtalk', '{"errcode": 0, "recordresult": null}'),
	('ingest_dingtalk', '{"errcode": "0", "recordresult": []}'),
	('ingest_dingtalk', '{"errcode": 88, "errmsg": "ding talk is busy", "recordresult": []}'),
	('ingest_dingtalk', '{"errcode": 0, "errmsg": "ok"}'),
	('ingest_dingtalk', '{"errcode": 0, "recordresult": [], "recordresult": []}'),
	('ingest_dingtalk', '{"EventType": "user_add_org", "DataList": []}'),
	('ingest_dingtalk', '{"EventType": "attendance_check_record"}'),
	('ingest_dingtalk', '{"errcode": 0, "recordresult": [' || repeat('[', 100) || repeat(']', 100) || ']}'),
	('ingest_dingtalk', '{"errcode": 0, "recordresult": ["unterminated]}'),
	('ingest_dingtalk', '{"EventType": "attendance_check_record", "DataList": [], "errcode": 0, "recordresult": []}'),
	('ingest_dingtalk', '{"errcode": 40001, "errmsg": "bad \u0000 token", "recordresult": []}'),
	('ingest_wecom', '{"errcode": 42001, "errmsg": "access_token expired"}'),
	('ingest_wecom', '{"errcode": 42001, "errmsg": "bad \ud800 token"}'),
	('ingest_wecom', '{"checkindata": [], "\u0000": 1}'),
	('ingest_wecom', '{"errcode": 0, "checkindata": [1, 2,]}'),
	('ingest_wecom', '{"errcode": 0, "checkindata": "none"}'),
	('ingest_wecom', '{"errcode": 0}'),
	('ingest_wecom', '{"errcode": 0, "checkindata": [{"userid": "paul", "checkin_time": 1492800000, "lat": tru}]}'),
	-- members hrguard does not read are JSON too
	('ingest_wecom', '{"errcode": 0, "checkindata": [{"userid": "paul", "checkin_time": 1492800000}], "next_cursor": 01}'),
	('ingest_dingtalk', '{"x": -, "errcode": 0, "recordresult": [{"id": 1, "userId": "manager4220", "userCheckTime": 1599615000000}]}'),
	('ingest_dingtalk', '{"errcode": 0, "recordresult": [], "hasMore": 1e}'),
	('ingest_dingtalk', '{"errcode": 0, "recordresult": [], "x": 1.}'),
	('ingest_dingtalk', '{"errcode": 0, "recordresult": [], "x": [, 0.5]}'),
	('ingest_dingtalk', '{"errcode": 0, "recordresult": [], "x": {"y" -1}}'),
	('ingest_dingtalk', '{"errcode": 0, "recordresult": [], "x": "\q"}'),
	('ingest_dingtalk', '{"errcode": 0, "recordresult": [], "x": "\u12"}'),
	('ingest_dingtalk', '{"errcode": 0, "errmsg": "o\k", "recordresult": []}'),
	('ingest_dingtalk', '{"errcode": 0, "recordresult": [], "DataList": [1, ]}'),
	('ingest_dingtalk', '01')
  ) AS t(fn, payload);
-- 10 MB of junk, and 10 MB of records that end badly: nothing stored
SELECT pg_temp.refusal($$SELECT hrguard.ingest_wecom(repeat('x', 10000000))$$) AS refusal;
SELECT pg_temp.refusal($$SELECT hrguard.ingest_wecom('{"errcode": 0, "checkindata": [' ||
	repeat('{"userid": "paul", "checkin_type": "上班打卡", "checkin_time": 1492800000}, ', 100000) || '{')$$) AS refusal;
SELECT count(*) AS punches FROM hrguard.punch WHERE employee_id LIKE 'IG%';
SELECT count(*) AS rejects FROM hrguard.ingest_reject;

-- an ingestion in an exception block that then fails leaves nothing
DO $$
BEGIN
	PERFORM hrguard.ingest_wecom($j${"errcode": 0, "checkindata": [
		{"userid": "paul", "checkin_type": "上班打卡", "checkin_time": 1492900000},
		{"userid": "nobody", "checkin_type": "上班打卡", "checkin_time": 1492900000}]}$j$);
	RAISE EXCEPTION 'the application changed its mind';
EXCEPTION WHEN raise_exception THEN
	NULL;
END $$;
SELECT count(*) AS punches FROM hrguard.punch WHERE employee_id LIKE 'IG%';
SELECT count(*) AS rejects FROM hrguard.ingest_reject;

-- ingestion runs as its caller: EXECUTE alone is not enough; INSERT on
-- the punches and rejects and SELECT on the columns it reads are
CREATE ROLE ig_app;
GRANT USAGE ON SCHEMA hrguard TO ig_app;
GRANT EXECUTE ON FUNCTION hrguard.ingest_wecom(text) TO ig_app;
SET ROLE ig_app;
SELECT pg_temp.refusal($$SELECT hrguard.ingest_wecom('{"errcode": 0, "checkindata": [{"userid": "paul", "checkin_type": "上班打卡", "checkin_time": 1493000000}]}')$$) AS refusal;
RESET ROLE;
GRANT SELECT (employee_id, wecom_userid) ON hrguard.employee TO ig_app;
GRANT SELECT (source, source_record_id), INSERT ON hrguard.punch TO ig_app;
GRANT INSERT, SELECT (source, raw_sha256, reason, raw_record) ON hrguard.ingest_reject TO ig_app;
SET ROLE ig_app;
SELECT * FROM hrguard.ingest_wecom('{"errcode": 0, "checkindata": [{"userid": "paul", "checkin_type": "上班打卡", "checkin_time": 1493000000}, {"userid": "nobody", "checkin_type": "上班打卡", "checkin_time": 1493000000}]}');
SELECT * FROM hrguard.ingest_wecom('{"errcode": 0, "checkindata": [{"userid": "paul", "checkin_type": "上班打卡", "checkin_time": 1493000000}, {"userid": "nobody", "checkin_type": "上班打卡", "checkin_time": 1493000000}]}');
RESET ROLE;
REVOKE ALL ON hrguard.employee, hrguard.punch, hrguard.ingest_reject FROM ig_app;
REVOKE ALL ON FUNCTION hrguard.ingest_wecom(text) FROM ig_app;
REVOKE ALL ON SCHEMA hrguard FROM ig_app;
DROP ROLE ig_app;

-- a DBA's trigger that drops rows does not pass them off as duplicates:
-- the ingestion fails (09000) and stores nothing
CREATE FUNCTION pg_temp.drop_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER a_drop BEFORE INSERT ON hrguard.punch FOR EACH ROW EXECUTE FUNCTION pg_temp.drop_row();
SELECT pg_temp.refusal($$SELECT hrguard.ingest_wecom('{"errcode": 0, "checkindata": [{"userid": "paul", "checkin_type": "上班打卡", "checkin_time": 1493100000}]}')$$) AS refusal;
DROP TRIGGER a_drop ON hrguard.punch;
CREATE TRIGGER a_drop BEFORE INSERT ON hrguard.ingest_reject FOR EACH ROW EXECUTE FUNCTION pg_temp.drop_row();
SELECT pg_temp.refusal($$SELECT hrguard.ingest_wecom('{"errcode": 0, "checkindata": [{"userid": "nobody-else", "checkin_type": "上班打卡", "checkin_time": 1493100000}]}')$$) AS refusal;
DROP TRIGGER a_drop ON hrguard.ingest_reject;
-- nor a trigger that stores a record under another id
CREATE FUNCTION pg_temp.change_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.source_record_id := NEW.source_record_id || '-changed'; RETURN NEW; END $$;
CREATE TRIGGER a_change BEFORE INSERT ON hrguard.punch FOR EACH ROW EXECUTE FUNCTION pg_temp.change_id();
SELECT pg_temp.refusal($$SELECT hrguard.ingest_wecom('{"errcode": 0, "checkindata": [{"userid": "paul", "checkin_type": "上班打卡", "checkin_time": 1493200000}]}')$$) AS refusal;
DROP TRIGGER a_change ON hrguard.punch;
-- nor one that stores it under another source, which would let the same
-- record in again under the vendor's
CREATE FUNCTION pg_temp.change_source() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.source := 'api'; RETURN NEW; END $$;
CREATE TRIGGER a_source BEFORE INSERT ON hrguard.punch FOR EACH ROW EXECUTE FUNCTION pg_temp.change_source();
SELECT pg_temp.refusal($$SELECT hrguard.ingest_wecom('{"errcode": 0, "checkindata": [{"userid": "paul", "checkin_type": "上班打卡", "checkin_time": 1493300000}, {"userid": "paul", "checkin_type": "下班打卡", "checkin_time": 1493330000}]}')$$) AS refusal;
DROP TRIGGER a_source ON hrguard.punch;
SELECT count(*) AS stored FROM hrguard.punch WHERE punched_at IN (to_timestamp(1493300000), to_timestamp(1493330000));

-- no memory kept from call to call: 300 more calls (malformed payloads,
-- a rejected record, each undone) leave the backend's memory contexts as
-- they were after the first 100
CREATE PROCEDURE pg_temp.ig_calls(n int) LANGUAGE plpgsql AS $$
DECLARE
	p text;
BEGIN
	FOR i IN 1 .. n LOOP
		FOREACH p IN ARRAY ARRAY['junk', '{"errcode": 0, "recordresult": [{"id": 1}',
			'{"errcode": 0, "recordresult": [{"id": 1, "userId": "ig-nobody", "userCheckTime": 1599615000000}]}'] LOOP
			BEGIN
				PERFORM hrguard.ingest_dingtalk(p);
				RAISE EXCEPTION 'undo';
			EXCEPTION WHEN OTHERS THEN
				NULL;
			END;
		END LOOP;
		COMMIT;
	END LOOP;
END $$;
CALL pg_temp.ig_calls(100);
SELECT sum(total_bytes) AS after_100 FROM pg_backend_memory_contexts \gset
CALL pg_temp.ig_calls(300);
SELECT sum(total_bytes) AS after_400 FROM pg_backend_memory_contexts \gset
SELECT abs(:after_400 - :after_100) < 65536 AS memory_kept_flat;

-- a vendor user id is looked up whatever its length (300 bytes here)
INSERT INTO hrguard.employee (employee_id, tenant_id, dingtalk_userid) VALUES ('IG-LONG', 'ig', repeat('u', 300));
SELECT * FROM hrguard.ingest_dingtalk(format(
	'{"errcode": 0, "recordresult": [{"id": 7301, "userId": "%s", "userCheckTime": 1599615000000}]}',
	repeat('u', 300)));
SELECT employee_id, source_record_id FROM hrguard.punch WHERE employee_id = 'IG-LONG';

-- digits beyond 64 bits are named as such, and a WeCom record rejected for
-- its group id is kept without a partial key
SELECT * FROM hrguard.ingest_dingtalk('{"errcode": 0, "recordresult": [{"id": "99999999999999999999", "userId": "manager4220", "userCheckTime": 1599615000000}]}');
SELECT * FROM hrguard.ingest_wecom('{"errcode": 0, "checkindata": [{"userid": "paul", "checkin_time": 1492900500, "checkin_type": "上班打卡", "groupid": "99999999999999999999"}]}');
SELECT source, reason, detail, source_record_id FROM hrguard.ingest_reject
 WHERE detail LIKE '%beyond a 64-bit%' ORDER BY reject_id;

-- a payload nested too deeply says, like every refusal, that nothing was stored
\set VERBOSITY default
SELECT hrguard.ingest_dingtalk('{"errcode": 0, "recordresult": [' || repeat('[', 100) || repeat(']', 100) || ']}');
\set VERBOSITY terse

-- memory: records rejected for their size are written in batches of at
-- most 4 MB of text, so a payload of 40 records of 1 MB each needs about
-- the payload's size again at its peak (it needed five to six times it),
-- measured in a new backend
SET client_min_messages = warning;
CREATE TABLE ig_big AS
SELECT '{"errcode": 0, "recordresult": [' ||
	   string_agg(format('{"id": %s, "userId": "ig-big", "userCheckTime": 1599615000000, "outsideRemark": "%s"}',
						 900000 + g, repeat(chr(97 + g % 26), 1000000)), ', ') || ']}' AS payload
  FROM generate_series(1, 40) g;
SELECT current_database() AS ig_db \gset
\c :ig_db
SET client_min_messages = warning;
SELECT pg_backend_pid() AS ig_pid \gset
SELECT (regexp_match(pg_read_file('/proc/' || :ig_pid || '/status'), 'VmHWM:\s+(\d+)'))[1]::bigint * 1024
	   AS hwm_before \gset
BEGIN;
SELECT r.* FROM ig_big, hrguard.ingest_dingtalk(payload) r;
ROLLBACK;
SELECT (regexp_match(pg_read_file('/proc/' || :ig_pid || '/status'), 'VmHWM:\s+(\d+)'))[1]::bigint * 1024
	   AS hwm_after \gset
SELECT (:hwm_after - :hwm_before) < 2.5 * length(payload) AS peak_within_2_5_payloads FROM ig_big;
DROP TABLE ig_big;

-- every ingested punch has its evidence entry, as any punch
SELECT count(*) AS punches,
	   count(*) FILTER (WHERE e.seq IS NOT NULL) AS with_entry
  FROM hrguard.punch p
  LEFT JOIN hrguard.evidence e ON e.employee_id = p.employee_id AND e.seq = p.evidence_seq AND e.kind = 'punch'
 WHERE p.employee_id LIKE 'IG%';
SELECT * FROM hrguard.verify_facts() WHERE employee_id LIKE 'IG%';

-- a database not in UTF8 cannot hold the vendors' Chinese text: 0A000
SELECT current_database() AS ig_db \gset
CREATE DATABASE regress_hrguard_latin1 TEMPLATE template0 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C';
\c regress_hrguard_latin1
SET client_min_messages = warning;
CREATE EXTENSION hrguard CASCADE;
SELECT * FROM hrguard.ingest_wecom('{"errcode": 0, "checkindata": []}');
\echo :LAST_ERROR_SQLSTATE
\c :ig_db
DROP DATABASE regress_hrguard_latin1;
