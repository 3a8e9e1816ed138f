latest = Найновіше
