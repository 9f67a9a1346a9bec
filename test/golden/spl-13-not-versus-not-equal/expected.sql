-- Golden SPL 13 not versus not equal (sqlite)
SELECT *
FROM "events"
WHERE (((lower("winlog.channel") = lower('Microsoft-Windows-Sysmon/Operational') AND "event.code" = '1') OR (lower("winlog.channel") = lower('Security') AND "event.code" = '4688')) AND lower("winlog.channel") = lower('Microsoft-Windows-Sysmon/Operational')) AND ((lower("process.executable") LIKE lower('%\\schtasks.exe') ESCAPE '\' AND NOT COALESCE(lower("user.name") = lower('NT AUTHORITY\SYSTEM'), FALSE) AND "process.parent.executable" IS NOT NULL AND NOT COALESCE(lower("process.parent.executable") LIKE lower('%\\services.exe') ESCAPE '\', FALSE)))
