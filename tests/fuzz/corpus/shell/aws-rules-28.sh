aws ecs list-clusters --max-itemz 5
