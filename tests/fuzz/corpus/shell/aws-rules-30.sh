aws ecs update-service --cluster c --service s \
  --desired-count two
