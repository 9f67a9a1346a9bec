-- Golden SPL 04 source macro stats (sqlite)
SELECT "host.name" AS "dest", "user.name" AS "User", COUNT(*) AS "count", MIN("@timestamp") AS "firstTime"
FROM "events"
WHERE (((lower("winlog.channel") = lower('Microsoft-Windows-Sysmon/Operational') AND "event.code" = '1') OR (lower("winlog.channel") = lower('Security') AND "event.code" = '4688')) AND lower("winlog.channel") = lower('Microsoft-Windows-Sysmon/Operational')) AND ((lower("process.executable") LIKE lower('%\\rundll32.exe') ESCAPE '\' AND lower("process.command_line") LIKE lower('%javascript:%') ESCAPE '\'))
GROUP BY "host.name", "user.name"
