output "collector" {
  description = "What a task needs to run the collector: its image, its configuration parameter and the policy its task role gets."
  value = {
    image                = var.collector_image
    config_parameter_arn = aws_ssm_parameter.collector_config.arn
    policy_arn           = aws_iam_policy.export.arn
  }
}
