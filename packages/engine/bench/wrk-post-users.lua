-- wrk script: POST /Users with a new userName each time (a create, not a 409), for the
-- sink's ceiling (a') in field.bench.ts. Each wrk thread has its own Lua state: the thread
-- number set in setup() keeps the names of different threads apart.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

local counter = 0
function request()
  counter = counter + 1
  local body = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"wrk.' .. id .. '.' .. counter .. '@example.com","active":true}'
  return wrk.format("POST", nil, { ["Content-Type"] = "application/scim+json", ["Authorization"] = "Bearer bench" }, body)
end
