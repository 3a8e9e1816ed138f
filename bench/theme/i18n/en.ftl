latest = Latest
