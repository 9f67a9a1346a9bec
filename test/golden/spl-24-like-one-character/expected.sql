-- Golden SPL 24 like one character (sqlite)
SELECT *
FROM "events"
WHERE (((lower("winlog.channel") = lower('Microsoft-Windows-Sysmon/Operational') AND "event.code" = '1') OR (lower("winlog.channel") = lower('Security') AND "event.code" = '4688')) AND lower("winlog.channel") = lower('Microsoft-Windows-Sysmon/Operational')) AND ("process.executable" GLOB '*\p?exec.exe')
