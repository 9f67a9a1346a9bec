-- Golden SPL 22 cidrmatch (sqlite)
SELECT json_extract("event_data", '$."winlog.event_data.TargetUserName"') AS "TargetUserName", json_extract("event_data", '$."winlog.event_data.IpAddress"') AS "IpAddress", COUNT(*) AS "count"
FROM "events"
WHERE lower("winlog.channel") = lower('Security') AND (("event.code" = '4624' AND json_extract("event_data", '$."winlog.event_data.LogonType"') = '10' AND NOT COALESCE(((json_extract("event_data", '$."winlog.event_data.IpAddress"') NOT GLOB '*[^0-9.]*' AND length(json_extract("event_data", '$."winlog.event_data.IpAddress"')) - length(replace(json_extract("event_data", '$."winlog.event_data.IpAddress"'), '.', '')) = 3) AND json_extract("event_data", '$."winlog.event_data.IpAddress"') LIKE '10.%'), FALSE)))
GROUP BY json_extract("event_data", '$."winlog.event_data.TargetUserName"'), json_extract("event_data", '$."winlog.event_data.IpAddress"')
