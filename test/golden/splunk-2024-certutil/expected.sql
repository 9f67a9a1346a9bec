-- Windows Certutil URL Download (sqlite)
SELECT "dest", "user", "parent_process_name", "process_name", "process", "process_id", "count", strftime('%Y-%m-%dT%H:%M:%S', "firstTime") AS "firstTime", strftime('%Y-%m-%dT%H:%M:%S', "lastTime") AS "lastTime"
FROM (
SELECT "host.name" AS "dest", "user.name" AS "user", "process.parent.name" AS "parent_process_name", "process.name" AS "process_name", "process.command_line" AS "process", "process.pid" AS "process_id", COUNT(*) AS "count", MIN("@timestamp") AS "firstTime", MAX("@timestamp") AS "lastTime"
FROM "events"
WHERE ((lower("winlog.channel") = lower('Microsoft-Windows-Sysmon/Operational') AND "event.code" = '1') OR (lower("winlog.channel") = lower('Security') AND "event.code" = '4688')) AND (((lower("process.name") = lower('certutil.exe') OR lower("process.pe.original_file_name") = lower('CertUtil.exe')) AND (lower("process.command_line") LIKE lower('%urlcache%') ESCAPE '\' OR lower("process.command_line") LIKE lower('%verifyctl%') ESCAPE '\') AND lower("process.command_line") LIKE lower('%http%') ESCAPE '\'))
GROUP BY "host.name", "user.name", "process.parent.name", "process.name", "process.command_line", "process.pid"
) AS "t1"
