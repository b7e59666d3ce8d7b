aws ecs list-cluster
