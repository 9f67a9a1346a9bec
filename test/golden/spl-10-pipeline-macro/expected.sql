-- Golden SPL 10 pipeline macro (sqlite)
SELECT *
FROM (
SELECT *, lower("process.command_line") AS "cmd", lower("process.executable") AS "exe"
FROM (
SELECT *
FROM "events"
WHERE (((lower("winlog.channel") = lower('Microsoft-Windows-Sysmon/Operational') AND "event.code" = '1') OR (lower("winlog.channel") = lower('Security') AND "event.code" = '4688')) AND lower("winlog.channel") = lower('Microsoft-Windows-Sysmon/Operational'))
) AS "t1"
) AS "t2"
WHERE ("cmd" GLOB '*-nop*' AND "exe" GLOB '*\powershell.exe')
