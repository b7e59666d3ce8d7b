aws application-autoscaling put-scaling-policy --service-namespace ecs \
  --resource-id service/c/s --scalable-dimension ecs:service:DesiredCount \
  --policy-name p --policy-type TargetTrackingScaling \
  --target-tracking-scaling-policy-configuration '{"TargetValue": "70", "ScaleInCoolDown": 300}'
