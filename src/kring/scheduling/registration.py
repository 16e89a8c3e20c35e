"""What scheduling registers with the apps below it, called once from SchedulingConfig.ready().
Each part of the app adds its registrations here (guards, timeline labels, task-list steps,
case panels, portal panels, audit labels)."""


def register() -> None:
    pass
