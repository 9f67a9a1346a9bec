-- Golden SPL 05 threshold dc (sqlite)
SELECT json_extract("event_data", '$."winlog.event_data.IpAddress"') AS "IpAddress", COUNT(DISTINCT json_extract("event_data", '$."winlog.event_data.TargetUserName"')) AS "users", COUNT(*) AS "count"
FROM "events"
WHERE lower("winlog.channel") = lower('Security') AND ("event.code" = '4625')
GROUP BY json_extract("event_data", '$."winlog.event_data.IpAddress"')
HAVING COUNT(DISTINCT json_extract("event_data", '$."winlog.event_data.TargetUserName"')) > 2
