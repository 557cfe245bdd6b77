output "image_registry" {
  description = "IMAGE_REGISTRY for `npm run docker:build`: the images are <image_registry>/<service>:<tag>."
  value       = "${data.aws_caller_identity.current.account_id}.dkr.ecr.${local.region}.amazonaws.com/booking-platform"
}

output "push_role_arn" {
  description = "Role the release workflow assumes to push images (repository variable AWS_PUSH_ROLE_ARN)."
  value       = aws_iam_role.push.arn
}

output "deploy_role_arns" {
  description = "Role the release workflow assumes to deploy each environment (its GitHub environment's AWS_DEPLOY_ROLE_ARN)."
  value       = { for name, role in aws_iam_role.deploy : name => role.arn }
}
