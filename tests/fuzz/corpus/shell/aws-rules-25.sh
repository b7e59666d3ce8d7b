aws ecs describe-services --cluster my-cluster --services web --query 'services[0].events[:10].message'
aws ecs run-task --cluster c --task-definition td:1 --launch-type FARGATE --count 2 \
  --network-configuration "awsvpcConfiguration={subnets=[subnet-1],securityGroups=[sg-1],assignPublicIp=ENABLED}"
aws cloudwatch get-metric-statistics --namespace AWS/ECS --metric-name CPUUtilization \
  --dimensions Name=ClusterName,Value=c Name=ServiceName,Value=s \
  --start-time 2024-05-01T00:00:00Z --end-time "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  --period 300 --statistics Average
aws ecs wait services-stable --cluster c --services web
aws ecs list-tasks --cluster c --max-items 10 --output text --desired-status STOPPED
aws ecs update-service --cluster c --service s --desired-count "$COUNT" --force-new-deployment
aws ec2 authorize-security-group-ingress --group-id sg-1 --protocol tcp --port 22 --cidr 10.0.0.0/8
aws iam create-role --role-name r --assume-role-policy-document '{"Version": "2012-10-17", "Statement": []}'
aws ecr get-login-password --region eu-west-3 | docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-3.amazonaws.com
aws s3 ls s3://my-bucket --recursive
