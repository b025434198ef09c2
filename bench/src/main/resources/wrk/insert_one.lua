-- Insert one record per request.
dofile(os.getenv("PLINTH_WRK_DIR") .. "/common.lua")

function request()
  return post(record_json())
end
