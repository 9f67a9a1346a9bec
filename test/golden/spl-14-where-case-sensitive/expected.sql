-- Golden SPL 14 where case sensitive (sqlite)
SELECT *
FROM "events"
WHERE (((lower("winlog.channel") = lower('Microsoft-Windows-Sysmon/Operational') AND "event.code" = '1') OR (lower("winlog.channel") = lower('Security') AND "event.code" = '4688')) AND lower("winlog.channel") = lower('Microsoft-Windows-Sysmon/Operational')) AND (("process.command_line" GLOB '*DownloadString(*' AND ("process.executable" REGEXP '(?i)powershell\.exe$')))
