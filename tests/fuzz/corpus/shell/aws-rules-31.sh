aws ecs list-tasks --cluster c --desired-status STOPED
