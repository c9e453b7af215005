// Generated from Experiments/models/*.json: do not edit by hand. ModelZooTests checks that
// every entry equals its file byte for byte; after editing a definition, copy the file's text
// between the delimiters (keep the blank line before the closing delimiter: it is the final newline).

extension ModelZoo {
  /// The shipped definitions compiled in, by name (see ``ModelZoo``).
  public static let embedded: [String: String] = [
    "mobilenet-tiny": #"""
    {
      "version": 1,
      "name": "mobilenet-tiny",
      "description": "A small MobileNet v1-style classifier for 32x32 inputs (the digits experiment): a 3x3 conv and six depthwise separable blocks (Howard et al. 2017), three of them with stride 2, each conv followed by BatchNorm and ReLU, then global average pooling and a dense classifier. Width multiplier = --width. At 1.0 / 32x32x1 with 10 classes: 47,050 parameters (conv weights, BatchNorm gamma and beta, dense weights and bias) and 2,086,656 multiply-accumulates.",
      "classes": 10,
      "channelMultiple": 8,
      "input": { "name": "image", "channels": 1, "height": 32, "width": 32, "sizeMultiple": 8 },
      "layers": [
        { "type": "conv", "name": "conv1", "filters": 24, "kernel": 3, "batchNorm": true, "activation": "relu" },
        { "type": "dwsep", "name": "block1", "filters": 32, "stride": 2 },
        { "type": "dwsep", "name": "block2", "filters": 48 },
        { "type": "dwsep", "name": "block3", "filters": 64, "stride": 2 },
        { "type": "dwsep", "name": "block4", "filters": 96 },
        { "type": "dwsep", "name": "block5", "filters": 128, "stride": 2 },
        { "type": "dwsep", "name": "block6", "filters": 128 },
        { "type": "gap", "name": "pool" },
        { "type": "flatten", "name": "flatten" },
        { "type": "dense", "name": "logits", "units": "classes", "output": "logits" }
      ]
    }

    """#,
    "mobilenet-v1": #"""
    {
      "version": 1,
      "name": "mobilenet-v1",
      "description": "MobileNet v1 classifier (Howard et al. 2017, 'MobileNets: Efficient Convolutional Neural Networks for Mobile Vision Applications', Table 1): a 3x3 stride-2 conv and 13 depthwise separable blocks, each conv followed by BatchNorm and ReLU, then global average pooling and a dense classifier. Width multiplier alpha = --width, resolution multiplier rho = --resolution. At 1.0 / 224 with 1000 classes: 4,231,976 parameters (conv weights, BatchNorm gamma and beta, dense weights and bias) and about 569 M multiply-accumulates.",
      "classes": 1000,
      "channelMultiple": 8,
      "input": { "name": "image", "channels": 3, "height": 224, "width": 224, "sizeMultiple": 32 },
      "layers": [
        { "type": "conv", "name": "conv1", "filters": 32, "kernel": 3, "stride": 2, "batchNorm": true, "activation": "relu" },
        { "type": "dwsep", "name": "block1", "filters": 64 },
        { "type": "dwsep", "name": "block2", "filters": 128, "stride": 2 },
        { "type": "dwsep", "name": "block3", "filters": 128 },
        { "type": "dwsep", "name": "block4", "filters": 256, "stride": 2 },
        { "type": "dwsep", "name": "block5", "filters": 256 },
        { "type": "dwsep", "name": "block6", "filters": 512, "stride": 2 },
        { "type": "repeat", "count": 5, "layers": [
          { "type": "dwsep", "name": "block7", "filters": 512 }
        ] },
        { "type": "dwsep", "name": "block12", "filters": 1024, "stride": 2 },
        { "type": "dwsep", "name": "block13", "filters": 1024 },
        { "type": "gap", "name": "pool" },
        { "type": "flatten", "name": "flatten" },
        { "type": "dense", "name": "logits", "units": "classes", "output": "logits" }
      ]
    }

    """#,
    "squeezenet1.1": #"""
    {
      "version": 1,
      "name": "squeezenet1.1",
      "description": "SqueezeNet 1.1 classifier (Iandola et al. 2016, 'SqueezeNet: AlexNet-level accuracy with 50x fewer parameters and <0.5MB model size'; version 1.1 from the authors' repository, as in torchvision). At 224x224 with 1000 classes: 1,235,496 parameters and 349,151,936 conv multiply-accumulates.",
      "classes": 1000,
      "channelMultiple": 8,
      "input": { "name": "image", "channels": 3, "height": 224, "width": 224, "sizeMultiple": 16 },
      "layers": [
        { "type": "conv", "name": "conv1", "filters": 64, "kernel": 3, "stride": 2, "padding": 0, "activation": "relu" },
        { "type": "maxpool", "name": "pool1", "kernel": 3, "stride": 2, "ceilMode": true },
        { "type": "fire", "name": "fire2", "squeeze": 16, "expand": 64 },
        { "type": "fire", "name": "fire3", "squeeze": 16, "expand": 64 },
        { "type": "maxpool", "name": "pool3", "kernel": 3, "stride": 2, "ceilMode": true },
        { "type": "fire", "name": "fire4", "squeeze": 32, "expand": 128 },
        { "type": "fire", "name": "fire5", "squeeze": 32, "expand": 128 },
        { "type": "maxpool", "name": "pool5", "kernel": 3, "stride": 2, "ceilMode": true },
        { "type": "fire", "name": "fire6", "squeeze": 48, "expand": 192 },
        { "type": "fire", "name": "fire7", "squeeze": 48, "expand": 192 },
        { "type": "fire", "name": "fire8", "squeeze": 64, "expand": 256 },
        { "type": "fire", "name": "fire9", "squeeze": 64, "expand": 256 },
        { "type": "dropout", "name": "drop9", "rate": 0.5 },
        { "type": "conv", "name": "conv10", "filters": "classes", "kernel": 1, "activation": "relu" },
        { "type": "gap", "name": "pool10" },
        { "type": "flatten", "name": "logits", "output": "logits" }
      ]
    }

    """#,
    "squeezenet1.1-reid": #"""
    {
      "version": 1,
      "name": "squeezenet1.1-reid",
      "description": "Face descriptor of '512KiB RAM Is Enough! Live Camera Face Recognition DNN on MCU' (Zemlyanikin et al., ICCV Workshops 2019; GreenWaves FaceReID on GAP8): a 128x128 grayscale crop, a 1x1 adapter conv from 1 to 3 channels, the SqueezeNet 1.1 stem and fire modules, and a 512-d descriptor by global average pooling. Trained with BatchNorm after every conv (the paper's --convbn), which FoldBatchNorm removes before deployment; folded, it has the paper's 26 conv layers with 719,555 weights and 2,947 biases (722,502 parameters) and about 80.1 M multiply-accumulates. The paper pools each expand branch of fire4 and fire7 before the concat; max-pooling is per channel, so pooling after the concat computes the same function.",
      "channelMultiple": 8,
      "input": { "name": "image", "channels": 1, "height": 128, "width": 128, "sizeMultiple": 16 },
      "layers": [
        { "type": "conv", "name": "adapter", "filters": 3, "kernel": 1, "batchNorm": true, "scaleWidth": false },
        { "type": "conv", "name": "conv1", "filters": 64, "kernel": 3, "stride": 2, "padding": 0, "batchNorm": true, "activation": "relu" },
        { "type": "maxpool", "name": "pool1", "kernel": 3, "stride": 2, "ceilMode": true },
        { "type": "fire", "name": "fire3", "squeeze": 16, "expand": 64, "batchNorm": true },
        { "type": "fire", "name": "fire4", "squeeze": 16, "expand": 64, "batchNorm": true },
        { "type": "maxpool", "name": "pool4", "kernel": 3, "stride": 2, "ceilMode": true },
        { "type": "fire", "name": "fire6", "squeeze": 32, "expand": 128, "batchNorm": true },
        { "type": "fire", "name": "fire7", "squeeze": 32, "expand": 128, "batchNorm": true },
        { "type": "maxpool", "name": "pool7", "kernel": 3, "stride": 2, "ceilMode": true },
        { "type": "fire", "name": "fire9", "squeeze": 48, "expand": 192, "batchNorm": true },
        { "type": "fire", "name": "fire10", "squeeze": 48, "expand": 192, "batchNorm": true },
        { "type": "fire", "name": "fire11", "squeeze": 64, "expand": 256, "batchNorm": true },
        { "type": "fire", "name": "fire12", "squeeze": 64, "expand": 256, "batchNorm": true },
        { "type": "gap", "name": "pool12" },
        { "type": "flatten", "name": "descriptor", "output": "descriptor" }
      ]
    }

    """#,
    "tiny-yolo": #"""
    {
      "version": 1,
      "name": "tiny-yolo",
      "description": "A K210-friendly tiny YOLO detector in the style of Darknet's yolov3-tiny (Redmon & Farhadi 2018): only 3x3 and 1x1 stride-1 convolutions with BatchNorm and LeakyReLU(0.1), downsampling by 2x2 max-pools (the KPU runs convs at stride 1 and pools after), two YOLO heads at strides 32 and 16 with three anchors each, and a x2 upsample + concat route between them. Anchors are in pixels of the 224x224 input (yolov3-tiny's COCO anchors scaled from 416) and scale with --resolution. 20 classes (PASCAL VOC) by default.",
      "classes": 20,
      "channelMultiple": 8,
      "input": { "name": "image", "channels": 3, "height": 224, "width": 224, "sizeMultiple": 32 },
      "layers": [
        { "type": "conv", "name": "conv1", "filters": 16, "kernel": 3, "batchNorm": true, "activation": "leaky" },
        { "type": "maxpool", "name": "pool1", "kernel": 2 },
        { "type": "conv", "name": "conv2", "filters": 32, "kernel": 3, "batchNorm": true, "activation": "leaky" },
        { "type": "maxpool", "name": "pool2", "kernel": 2 },
        { "type": "conv", "name": "conv3", "filters": 64, "kernel": 3, "batchNorm": true, "activation": "leaky" },
        { "type": "maxpool", "name": "pool3", "kernel": 2 },
        { "type": "conv", "name": "conv4", "filters": 128, "kernel": 3, "batchNorm": true, "activation": "leaky" },
        { "type": "maxpool", "name": "pool4", "kernel": 2 },
        { "type": "conv", "name": "conv5", "filters": 256, "kernel": 3, "batchNorm": true, "activation": "leaky" },
        { "type": "maxpool", "name": "pool5", "kernel": 2 },
        { "type": "conv", "name": "conv6", "filters": 512, "kernel": 3, "batchNorm": true, "activation": "leaky" },
        { "type": "conv", "name": "neck", "filters": 256, "kernel": 1, "batchNorm": true, "activation": "leaky" },
        { "type": "conv", "name": "conv7", "filters": 512, "kernel": 3, "batchNorm": true, "activation": "leaky" },
        { "type": "yolo", "name": "yolo32", "anchors": [[44, 44], [73, 91], [185, 172]] },
        { "type": "conv", "name": "route", "from": "neck", "filters": 128, "kernel": 1, "batchNorm": true, "activation": "leaky" },
        { "type": "upsample", "name": "up", "factor": 2 },
        { "type": "concat", "name": "merge", "from": ["up", "conv5"] },
        { "type": "conv", "name": "conv8", "filters": 256, "kernel": 3, "batchNorm": true, "activation": "leaky" },
        { "type": "yolo", "name": "yolo16", "anchors": [[5, 8], [12, 15], [20, 31]] }
      ]
    }

    """#,
    "tiny-yolo-shapes": #"""
    {
      "version": 1,
      "name": "tiny-yolo-shapes",
      "description": "tiny-yolo (see tiny-yolo.json: yolov3-tiny layout, K210-friendly) with anchors fitted to the built-in `shapes` data, whose objects are 12\u201345% of the image side with aspect ratios near 1. yolov3-tiny's COCO anchors send most such objects to the stride-32 head, where objects sharing a cell and anchor collide; these anchors (pixels of the 224\u00d7224 input, scaled with the input size) split the sizes between the two heads. Architecture and cost are identical to tiny-yolo.",
      "classes": 3,
      "channelMultiple": 8,
      "input": {
        "name": "image",
        "channels": 3,
        "height": 224,
        "width": 224,
        "sizeMultiple": 32
      },
      "layers": [
        {
          "type": "conv",
          "name": "conv1",
          "filters": 16,
          "kernel": 3,
          "batchNorm": true,
          "activation": "leaky"
        },
        {
          "type": "maxpool",
          "name": "pool1",
          "kernel": 2
        },
        {
          "type": "conv",
          "name": "conv2",
          "filters": 32,
          "kernel": 3,
          "batchNorm": true,
          "activation": "leaky"
        },
        {
          "type": "maxpool",
          "name": "pool2",
          "kernel": 2
        },
        {
          "type": "conv",
          "name": "conv3",
          "filters": 64,
          "kernel": 3,
          "batchNorm": true,
          "activation": "leaky"
        },
        {
          "type": "maxpool",
          "name": "pool3",
          "kernel": 2
        },
        {
          "type": "conv",
          "name": "conv4",
          "filters": 128,
          "kernel": 3,
          "batchNorm": true,
          "activation": "leaky"
        },
        {
          "type": "maxpool",
          "name": "pool4",
          "kernel": 2
        },
        {
          "type": "conv",
          "name": "conv5",
          "filters": 256,
          "kernel": 3,
          "batchNorm": true,
          "activation": "leaky"
        },
        {
          "type": "maxpool",
          "name": "pool5",
          "kernel": 2
        },
        {
          "type": "conv",
          "name": "conv6",
          "filters": 512,
          "kernel": 3,
          "batchNorm": true,
          "activation": "leaky"
        },
        {
          "type": "conv",
          "name": "neck",
          "filters": 256,
          "kernel": 1,
          "batchNorm": true,
          "activation": "leaky"
        },
        {
          "type": "conv",
          "name": "conv7",
          "filters": 512,
          "kernel": 3,
          "batchNorm": true,
          "activation": "leaky"
        },
        {
          "type": "yolo",
          "name": "yolo32",
          "anchors": [
            [
              62,
              62
            ],
            [
              76,
              96
            ],
            [
              100,
              100
            ]
          ]
        },
        {
          "type": "conv",
          "name": "route",
          "from": "neck",
          "filters": 128,
          "kernel": 1,
          "batchNorm": true,
          "activation": "leaky"
        },
        {
          "type": "upsample",
          "name": "up",
          "factor": 2
        },
        {
          "type": "concat",
          "name": "merge",
          "from": [
            "up",
            "conv5"
          ]
        },
        {
          "type": "conv",
          "name": "conv8",
          "filters": 256,
          "kernel": 3,
          "batchNorm": true,
          "activation": "leaky"
        },
        {
          "type": "yolo",
          "name": "yolo16",
          "anchors": [
            [
              30,
              30
            ],
            [
              42,
              42
            ],
            [
              52,
              52
            ]
          ]
        }
      ]
    }

    """#,
  ]
}
