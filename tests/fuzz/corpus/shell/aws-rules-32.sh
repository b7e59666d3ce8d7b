aws ecs run-task --task-definition td \
  --network-configuration "awsvpcConfiguration={subnet=[s1]}"
