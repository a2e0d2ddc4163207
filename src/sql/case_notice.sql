-- case_notice.sql -- hrguard.termination_notice(case_id): the content of
-- the written notice of termination (LCL Art. 39(4); what wins at
-- arbitration states the facts, the rule clause and the statutory
-- sub-item): the facts the case recorded, the contract clauses, the
-- statutory ground, and every piece of evidence with its hash, as JSON
-- and as Chinese text.  A draft in state decision, final once terminated;
-- both name the head of the case's custody chain they were made from.

-- a time as a date of the employee's calendar, in Chinese
CREATE FUNCTION hrguard.case_date_zh(at timestamptz, tz text)
	RETURNS text
	LANGUAGE sql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
SELECT pg_catalog.to_char(pg_catalog.timezone($2, $1), 'YYYY"年"FMMM"月"FMDD"日"')
$$;
REVOKE ALL ON FUNCTION hrguard.case_date_zh(timestamptz, text) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.case_date_zh(timestamptz, text) IS
	'internal: a time as a date of the employee''s calendar, written in Chinese';

CREATE FUNCTION hrguard.termination_notice(case_id bigint)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	c hrguard."case";
	e hrguard.employee;
	final boolean;
	ended timestamptz;
	head record;
	ground_zh text;
	ground_en text;
	clauses jsonb;
	evidence jsonb;
	interviews jsonb;
	notice jsonb;
	union_notice jsonb;
	facts_zh text;
	clauses_zh text;
	evidence_zh text;
	name text;
BEGIN
	c := hrguard.case_read($1);
	IF NOT (c.state OPERATOR(pg_catalog.=) ANY (ARRAY['decision', 'terminated'])) OR c.ground IS NULL THEN
		RAISE EXCEPTION USING
			ERRCODE = 'object_not_in_prerequisite_state',
			MESSAGE = pg_catalog.format('case %s has no termination notice: it is %s%s', c.case_id,
				c.state, CASE WHEN c.ground IS NULL THEN ' and has no ground' ELSE '' END),
			DETAIL = 'A draft notice is made in state decision once a ground is set; the final one once terminated.';
	END IF;
	SELECT * INTO e FROM hrguard.employee em WHERE em.employee_id OPERATOR(pg_catalog.=) c.employee_id;
	name := COALESCE(e.display_name, e.employee_id);
	final := c.state OPERATOR(pg_catalog.=) 'terminated';
	ended := CASE WHEN final THEN c.closed_at END;
	SELECT h.seq, pg_catalog.encode(h.head, 'hex') AS link INTO head
	  FROM hrguard.chain_head h WHERE h.employee_id OPERATOR(pg_catalog.=) ('case:' OPERATOR(pg_catalog.||) c.case_id);

	IF c.ground OPERATOR(pg_catalog.=) '39_4a' THEN
		ground_zh := '《中华人民共和国劳动合同法》第三十九条第（四）项：劳动者同时与其他用人单位建立劳动关系，对完成本单位的工作任务造成严重影响';
		ground_en := 'Labor Contract Law of the PRC, Art. 39(4): the employee also has a labour relationship with another employer, which seriously affects the completion of the work of this employer';
	ELSE
		ground_zh := '《中华人民共和国劳动合同法》第三十九条第（四）项：劳动者同时与其他用人单位建立劳动关系，经用人单位提出，拒不改正';
		ground_en := 'Labor Contract Law of the PRC, Art. 39(4): the employee also has a labour relationship with another employer and refused to correct it after the employer raised it';
	END IF;

	SELECT COALESCE(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
				'contract_id', k.contract_id, 'kind', k.kind, 'starts_on', k.starts_on, 'ends_on', k.ends_on,
				'clause', NULLIF(pg_catalog.btrim(k.clause), ''), 'document_sha256', k.document_sha256)
			ORDER BY k.contract_id), '[]')
	  INTO clauses
	  FROM hrguard.contract k
	 WHERE k.employee_id OPERATOR(pg_catalog.=) c.employee_id
	   AND k.kind OPERATOR(pg_catalog.=) ANY (ARRAY['labour', 'confidentiality'])
	   -- in force on the day of the notice
	   AND k.starts_on OPERATOR(pg_catalog.<=) pg_catalog.timezone(e.timezone, COALESCE(ended, pg_catalog.now()))::pg_catalog.date
	   AND (k.ends_on IS NULL
			OR k.ends_on OPERATOR(pg_catalog.>=) pg_catalog.timezone(e.timezone, COALESCE(ended, pg_catalog.now()))::pg_catalog.date);

	SELECT COALESCE(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
				'step', s.event_no, 'kind', s.kind, 'category', s.details OPERATOR(pg_catalog.->>) 'category',
				'description', COALESCE(s.details OPERATOR(pg_catalog.->>) 'description',
										'alert ' OPERATOR(pg_catalog.||) (s.details OPERATOR(pg_catalog.->>) 'alert_id')
										OPERATOR(pg_catalog.||) ' (' OPERATOR(pg_catalog.||) (s.details OPERATOR(pg_catalog.->>) 'kind')
										OPERATOR(pg_catalog.||) ')'),
				'occurred_at', s.occurred_at,
				'collection_method', s.details OPERATOR(pg_catalog.->>) 'collection_method',
				'document_sha256', s.details OPERATOR(pg_catalog.->>) 'document_sha256',
				'evidence_seq', (s.details OPERATOR(pg_catalog.->>) 'evidence_seq')::pg_catalog.int8,
				'evidence_link', s.details OPERATOR(pg_catalog.->>) 'evidence_link',
				'custody_link', pg_catalog.encode(v.link, 'hex'))
			ORDER BY s.event_no), '[]')
	  INTO evidence
	  FROM hrguard.case_event s
	  JOIN hrguard.evidence v ON v.employee_id OPERATOR(pg_catalog.=) ('case:' OPERATOR(pg_catalog.||) s.case_id)
						   AND v.seq OPERATOR(pg_catalog.=) s.event_no
	 WHERE s.case_id OPERATOR(pg_catalog.=) c.case_id AND s.kind OPERATOR(pg_catalog.=) ANY (ARRAY['evidence', 'alert']);

	SELECT COALESCE(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
				'step', s.event_no, 'held_at', s.occurred_at, 'place', s.details OPERATOR(pg_catalog.->>) 'place',
				'signature', s.details OPERATOR(pg_catalog.->>) 'signature',
				'explanation', s.details OPERATOR(pg_catalog.->>) 'explanation') ORDER BY s.event_no), '[]')
	  INTO interviews
	  FROM hrguard.case_event s
	 WHERE s.case_id OPERATOR(pg_catalog.=) c.case_id AND s.kind OPERATOR(pg_catalog.=) 'interview';

	SELECT pg_catalog.jsonb_build_object('step', n.event_no, 'issued_at', n.occurred_at,
			'facts', n.details OPERATOR(pg_catalog.->>) 'facts',
			'required_correction', n.details OPERATOR(pg_catalog.->>) 'required_correction',
			'document_sha256', n.details OPERATOR(pg_catalog.->>) 'document_sha256',
			'delivered_at', d.occurred_at, 'delivery', d.details OPERATOR(pg_catalog.->>) 'method',
			'deadline', d.details OPERATOR(pg_catalog.->>) 'deadline')
	  INTO notice
	  FROM hrguard.case_event n
	  LEFT JOIN hrguard.case_event d
		ON d.case_id OPERATOR(pg_catalog.=) n.case_id AND d.kind OPERATOR(pg_catalog.=) 'notice_delivered'
	   AND (d.details OPERATOR(pg_catalog.->>) 'notice_event')::pg_catalog.int8 OPERATOR(pg_catalog.=) n.event_no
	 WHERE n.case_id OPERATOR(pg_catalog.=) c.case_id AND n.kind OPERATOR(pg_catalog.=) 'notice_to_correct'
	 ORDER BY n.event_no DESC LIMIT 1;

	SELECT pg_catalog.jsonb_build_object('step', u.event_no, 'notified_at', u.occurred_at,
			'union_name', u.details OPERATOR(pg_catalog.->>) 'union_name',
			'reasons', u.details OPERATOR(pg_catalog.->>) 'reasons',
			'document_sha256', u.details OPERATOR(pg_catalog.->>) 'document_sha256')
	  INTO union_notice
	  FROM hrguard.case_event u
	 WHERE u.case_id OPERATOR(pg_catalog.=) c.case_id AND u.kind OPERATOR(pg_catalog.=) 'union_notice'
	 ORDER BY u.event_no DESC LIMIT 1;

	-- the text, in Chinese
	facts_zh := pg_catalog.format('经查，%s。', c.reason);
	IF pg_catalog.jsonb_array_length(interviews) OPERATOR(pg_catalog.>) 0 THEN
		facts_zh := facts_zh OPERATOR(pg_catalog.||) pg_catalog.format('公司已于%s听取您的陈述（%s）。',
			hrguard.case_date_zh((interviews OPERATOR(pg_catalog.->) 0 OPERATOR(pg_catalog.->>) 'held_at')::pg_catalog.timestamptz, e.timezone),
			CASE WHEN interviews OPERATOR(pg_catalog.->) 0 OPERATOR(pg_catalog.->>) 'signature' OPERATOR(pg_catalog.=) 'signed'
				 THEN '笔录经您签字' ELSE '您拒绝在笔录上签字' END);
	END IF;
	IF c.ground OPERATOR(pg_catalog.=) '39_4b' AND notice IS NOT NULL THEN
		-- what happened after the notice: said only once the time to correct is over
		facts_zh := facts_zh OPERATOR(pg_catalog.||) pg_catalog.format('公司已于%s书面通知您%s，要求您于%s前改正%s。',
			hrguard.case_date_zh((notice OPERATOR(pg_catalog.->>) 'issued_at')::pg_catalog.timestamptz, e.timezone),
			notice OPERATOR(pg_catalog.->>) 'required_correction',
			COALESCE(pg_catalog.to_char((notice OPERATOR(pg_catalog.->>) 'deadline')::pg_catalog.date, 'YYYY"年"FMMM"月"FMDD"日"'), '（尚未送达）'),
			CASE WHEN hrguard.case_deadline_end(c.case_id) OPERATOR(pg_catalog.<=) pg_catalog.now() THEN '，您逾期未改正'
				 ELSE '，改正期限尚未届满' END);
	END IF;
	SELECT COALESCE(pg_catalog.string_agg(pg_catalog.format('%s（文件SHA-256：%s）',
				COALESCE(k OPERATOR(pg_catalog.->>) 'clause',
						 CASE k OPERATOR(pg_catalog.->>) 'kind' WHEN 'labour' THEN '劳动合同' ELSE '保密协议' END),
				k OPERATOR(pg_catalog.->>) 'document_sha256'), '；'), '劳动合同')
	  INTO clauses_zh FROM pg_catalog.jsonb_array_elements(clauses) k;
	SELECT pg_catalog.string_agg(pg_catalog.format('%s. %s（%s；SHA-256：%s）', x.n, x.item OPERATOR(pg_catalog.->>) 'description',
				hrguard.case_date_zh((x.item OPERATOR(pg_catalog.->>) 'occurred_at')::pg_catalog.timestamptz, e.timezone),
				COALESCE(x.item OPERATOR(pg_catalog.->>) 'document_sha256', x.item OPERATOR(pg_catalog.->>) 'evidence_link', '—')),
				pg_catalog.chr(10) ORDER BY x.n)
	  INTO evidence_zh
	  FROM pg_catalog.jsonb_array_elements(evidence) WITH ORDINALITY AS x(item, n);

	RETURN pg_catalog.jsonb_build_object(
		'case_id', c.case_id, 'status', CASE WHEN final THEN 'final' ELSE 'draft' END,
		'employee', pg_catalog.jsonb_build_object('employee_id', e.employee_id, 'display_name', e.display_name,
												  'team', e.team),
		'ground', c.ground, 'statutory_ground_zh', ground_zh, 'statutory_ground_en', ground_en,
		'terminated_at', ended,
		'facts', pg_catalog.jsonb_build_object('reason', c.reason, 'interviews', interviews,
											   'notice_to_correct', notice, 'union_notice', union_notice),
		'contract_clauses', clauses, 'evidence', evidence,
		'custody', pg_catalog.jsonb_build_object('chain', 'case:' OPERATOR(pg_catalog.||) c.case_id,
												 'seq', head.seq, 'link', head.link),
		'text_zh', pg_catalog.concat_ws(pg_catalog.chr(10),
			CASE WHEN final THEN '解除劳动合同通知书' ELSE '解除劳动合同通知书（草稿）' END,
			pg_catalog.format('%s（工号：%s）：', name, e.employee_id),
			facts_zh,
			pg_catalog.format('上述行为符合%s之情形，并违反%s。', ground_zh, clauses_zh),
			CASE WHEN final THEN pg_catalog.format('公司决定自%s起解除与您的劳动合同。', hrguard.case_date_zh(ended, e.timezone))
				 ELSE '公司拟解除与您的劳动合同。' END,
			CASE WHEN union_notice IS NOT NULL
				 THEN pg_catalog.format('公司已于%s将解除理由通知%s。',
						hrguard.case_date_zh((union_notice OPERATOR(pg_catalog.->>) 'notified_at')::pg_catalog.timestamptz, e.timezone),
						union_notice OPERATOR(pg_catalog.->>) 'union_name')
				 ELSE '（尚未通知工会。）' END,
			'证据清单：',
			COALESCE(evidence_zh, '（无）'),
			pg_catalog.format('案件编号：%s；处理记录：case:%s 第%s条，链头 %s。', c.case_id, c.case_id, head.seq, head.link)));
END
$$;
REVOKE ALL ON FUNCTION hrguard.termination_notice(bigint) FROM PUBLIC;
COMMENT ON FUNCTION hrguard.termination_notice(bigint) IS
	'the written notice of termination of a case (draft in decision, final once terminated): facts, contract clauses, statutory ground, evidence with hashes, as JSON and Chinese text';
