-- Golden SPL 23 regex command (sqlite)
SELECT *
FROM "events"
WHERE (((lower("winlog.channel") = lower('Microsoft-Windows-Sysmon/Operational') AND "event.code" = '1') OR (lower("winlog.channel") = lower('Security') AND "event.code" = '4688')) AND lower("winlog.channel") = lower('Microsoft-Windows-Sysmon/Operational')) AND (("process.command_line" REGEXP '[A-Za-z0-9+/]{40,}={0,2}'))
