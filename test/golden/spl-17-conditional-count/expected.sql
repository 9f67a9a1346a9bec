-- Golden SPL 17 conditional count (sqlite)
SELECT json_extract("event_data", '$."winlog.event_data.TargetUserName"') AS "TargetUserName", COUNT(CASE WHEN "event.code" = '4625' THEN 1 END) AS "failures", COUNT(CASE WHEN "event.code" = '4624' THEN 1 END) AS "successes"
FROM "events"
WHERE lower("winlog.channel") = lower('Security') AND ("event.code" IN ('4624', '4625'))
GROUP BY json_extract("event_data", '$."winlog.event_data.TargetUserName"')
HAVING (COUNT(CASE WHEN "event.code" = '4625' THEN 1 END) >= 2 AND COUNT(CASE WHEN "event.code" = '4624' THEN 1 END) >= 1)
