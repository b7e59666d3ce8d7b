# 1. Health check path existe ?
curl http://task-ip:3000/health

# 2. Security Group task autorise ALB ?
aws ec2 authorize-security-group-ingress \
  --group-id sg-task-xxx \
  --protocol tcp \
  --port 3000 \
  --source-group sg-alb-xxx
