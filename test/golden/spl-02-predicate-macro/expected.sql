-- Golden SPL 02 predicate macro (sqlite)
SELECT "host.name" AS "dest", "process.command_line" AS "process", COUNT(*) AS "count"
FROM "events"
WHERE ((lower("winlog.channel") = lower('Microsoft-Windows-Sysmon/Operational') AND "event.code" = '1') OR (lower("winlog.channel") = lower('Security') AND "event.code" = '4688')) AND (((lower("process.name") = lower('certutil.exe') OR lower("process.pe.original_file_name") = lower('CertUtil.exe')) AND lower("process.command_line") LIKE lower('%-urlcache%') ESCAPE '\'))
GROUP BY "host.name", "process.command_line"
