-- scenario.sql -- the demo's data: a Shanghai sales team.
--
-- Loaded by "make demo" into a fresh database right after
-- CREATE EXTENSION hrguard CASCADE.

INSERT INTO hrguard.employee
	(employee_id, display_name, team, role, work_mode, hired_on, dingtalk_userid, wecom_userid)
VALUES
	('S001', 'Zhang Wei',  'shanghai-east', 'sales',         'field',  '2021-04-01', 'dt-zhangwei', 'wc-zhangwei'),
	('S002', 'Li Na',      'shanghai-east', 'sales',         'field',  '2022-09-15', 'dt-lina',     NULL),
	('S003', 'Wang Qiang', 'shanghai-east', 'sales',         'field',  '2023-02-20', 'dt-wangqiang', NULL),
	('S004', 'Chen Jing',  'shanghai-east', 'sales',         'field',  '2024-07-01', NULL,          'wc-chenjing'),
	('M001', 'Liu Yang',   'shanghai-east', 'sales manager', 'office', '2019-03-11', 'dt-liuyang',  'wc-liuyang');
